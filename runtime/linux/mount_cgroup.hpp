// The spec's cgroup mount, expanded against the host's hierarchies (read from mountinfo).
// Hybrid/v1 hosts: a tmpfs at the destination, one mount per hierarchy under it (a fresh
// `cgroup` mount with the hierarchy's options inside a cgroup namespace, else a bind of the
// container's own cgroup dir), symlinks for comounted controllers, then the tmpfs made
// read-only. Pure v2 hosts: one cgroup2 mount (or a bind of the container's cgroup dir).
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"
#include "linux/mount_info.hpp"
#include "linux/mount_plan.hpp"

namespace burrow::linux {

struct CgroupHierarchy {
  std::string mount_point;  // on the host: "/sys/fs/cgroup/cpu,cpuacct"
  bool v2 = false;          // a cgroup2 mount (the unified hierarchy)
  std::string options;      // what selects the hierarchy: "cpu,cpuacct", "name=systemd", ""
  bool operator==(const CgroupHierarchy&) const = default;
};

// cgroup and cgroup2 mounts at or under /sys/fs/cgroup, in mountinfo order, one per mount point.
std::vector<CgroupHierarchy> cgroup_hierarchies(const std::vector<MountInfo>& mounts);

// Steps replacing `cgroup` (a MountKind::cgroup step).
Result<std::vector<MountStep>> expand_cgroup_mount(const MountStep& cgroup,
                                                   const std::vector<CgroupHierarchy>& hierarchies,
                                                   const RootfsConfig& config);

}  // namespace burrow::linux
