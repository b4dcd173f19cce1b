// Building the container's root filesystem, in the container init (root in its new mount
// namespace, possibly inside a user namespace whose maps are written). Three calls so the
// caller can run hooks between them:
//   prepare_rootfs  make "/" non-shared, bind the rootfs onto itself, mount spec.mounts in
//                   order, create /dev nodes and links (all through fds inside the rootfs)
//   enter_rootfs    pivot_root (or, with no_pivot, the host's procfs and sysfs mounts detached
//                   and MS_MOVE + chroot: no_pivot.hpp)
//   finish_rootfs   readonly paths, masked paths, read-only root, final root propagation
#pragma once

#include "base/error.hpp"
#include "base/fd.hpp"
#include "linux/mount_plan.hpp"

namespace burrow::linux {

Status prepare_rootfs(const MountPlan& plan, const RootfsConfig& config);
// O_PATH fd of the rootfs mount's root (the topmost mount there): what every step resolves its
// destination in.
Result<Fd> open_rootfs(const RootfsConfig& config);
Status enter_rootfs(const RootfsConfig& config);
Status finish_rootfs(const MountPlan& plan, const RootfsConfig& config);

}  // namespace burrow::linux
