// The few filesystem operations the backends perform on cgroupfs, with the temp-dir emulation
// of CgroupsContext::emulate_cgroupfs in one place.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "base/error.hpp"
#include "cgroups/context.hpp"

namespace burrow::cgroups::fs {

// One write(2) of `data` to dir/name (cgroupfs takes one rule/value per write).
Status write_control(const CgroupsContext& ctx, const std::string& dir, const std::string& name,
                     const std::string& data);
// Contents of dir/name without the trailing newline.
Result<std::string> read_control(const std::string& dir, const std::string& name);

// Does dir/name exist? Optional control files (memory.memsw.*, cpu.idle, blkio.weight, hugetlb
// sizes) are looked up first, so a missing one gives an error naming the field, not ENOENT.
bool has_control(const std::string& dir, const std::string& name);
// The value of a single-number file; "max" reads as `max_value`.
Result<uint64_t> read_u64(const std::string& dir, const std::string& name,
                          uint64_t max_value = UINT64_MAX);
// read_u64, or `fallback` when the file is missing or unreadable (optional stats files).
uint64_t read_u64_or(const std::string& dir, const std::string& name, uint64_t fallback,
                     uint64_t max_value = UINT64_MAX);
// "key value" lines (memory.stat, cpu.stat, memory.events) -> map; other lines are skipped.
Result<std::map<std::string, uint64_t>> read_key_values(const std::string& dir,
                                                        const std::string& name);

// Creates `dir` and the directories between `mount_point` and it (0755). With copy_cpuset, each
// of them whose cpuset.cpus/cpuset.mems is empty gets its parent's (a v1 cpuset cgroup with
// empty ones refuses tasks).
Status make_cgroup_dirs(const CgroupsContext& ctx, const std::string& mount_point,
                        const std::string& dir, bool copy_cpuset);

// Removes `dir` and the cgroups below it, deepest first, retrying on EBUSY (a dying task still
// counted) a few times with short sleeps. A missing dir is success. Errors name the path.
Status remove_cgroup_tree(const CgroupsContext& ctx, const std::string& dir);

}  // namespace burrow::cgroups::fs
