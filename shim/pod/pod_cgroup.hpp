// The pod's own cgroup: the parent of every member's (<cgroup parent>/burrow-shim-<key>), made
// by the shim before the infra starts, with the job's memory limit on it, so the job container,
// a dind service and everything its inner daemon runs share one limit (each member keeps its
// own limit too). cgroup v1 (hybrid hosts: the memory hierarchy) and v2 (the unified tree, with
// +memory in the parent's and its own cgroup.subtree_control). The runtime makes the member
// cgroups below it (in every v1 hierarchy the path's dirs), and removes them with the members;
// the pod cgroup's dirs go after them (remove_pod_cgroup; also from `burrow-shim cleanup`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/error.hpp"

namespace burrow::shim::pod {

// The job dir's record of its pod's cgroup path, for `burrow-shim cleanup`.
inline constexpr const char* kPodCgroupFile = "pod-cgroup";

// Makes `path` (absolute, e.g. /burrow-shim/burrow-shim-KEY) under `cgroup_root` and, with
// `memory_limit`, sets it (v1: memory.limit_in_bytes, then memory.memsw.limit_in_bytes where
// swap accounting exists; v2: memory.max, memory.swap.max 0).
Status make_pod_cgroup(const std::string& path, std::optional<int64_t> memory_limit,
                       const std::string& cgroup_root = "/sys/fs/cgroup");

// Removes `path`'s dirs in every hierarchy under `cgroup_root` (a v1 hierarchy's and the unified
// tree's), deepest first, retrying while the kernel still counts an exited member (EBUSY) for
// up to a second; a path that is not there is no error.
Status remove_pod_cgroup(const std::string& path,
                         const std::string& cgroup_root = "/sys/fs/cgroup");

}  // namespace burrow::shim::pod
