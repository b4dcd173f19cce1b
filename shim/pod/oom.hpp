// How many processes the kernel's OOM killer took in a container's cgroup: the memory
// controller's own count (v1 memory.oom_control, v2 memory.events), read from the host's
// cgroup file system while the (stopped) container's cgroup still exists.
#pragma once

#include <optional>
#include <string>

namespace burrow::shim::pod {

// `cgroups_path` as in the container's config (absolute); `cgroup_root` is /sys/fs/cgroup but
// for tests. nullopt when no memory controller shows the cgroup.
std::optional<unsigned long> oom_kills(const std::string& cgroups_path,
                                       const std::string& cgroup_root = "/sys/fs/cgroup");

// The `oom_kill N` field of a memory.oom_control or memory.events text.
std::optional<unsigned long> oom_kill_field(const std::string& text);

}  // namespace burrow::shim::pod
