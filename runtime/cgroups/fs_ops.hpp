// The few filesystem operations the backends perform on cgroupfs, with the temp-dir emulation
// of CgroupsContext::emulate_cgroupfs in one place.
#pragma once

#include <string>

#include "base/error.hpp"
#include "cgroups/context.hpp"

namespace burrow::cgroups::fs {

// One write(2) of `data` to dir/name (cgroupfs takes one rule/value per write).
Status write_control(const CgroupsContext& ctx, const std::string& dir, const std::string& name,
                     const std::string& data);
// Contents of dir/name without the trailing newline.
Result<std::string> read_control(const std::string& dir, const std::string& name);

// Creates `dir` and the directories between `mount_point` and it (0755). With copy_cpuset, each
// of them whose cpuset.cpus/cpuset.mems is empty gets its parent's (a v1 cpuset cgroup with
// empty ones refuses tasks).
Status make_cgroup_dirs(const CgroupsContext& ctx, const std::string& mount_point,
                        const std::string& dir, bool copy_cpuset);

// Removes `dir` and the cgroups below it, deepest first, retrying on EBUSY (a dying task still
// counted) a few times with short sleeps. A missing dir is success. Errors name the path.
Status remove_cgroup_tree(const CgroupsContext& ctx, const std::string& dir);

}  // namespace burrow::cgroups::fs
