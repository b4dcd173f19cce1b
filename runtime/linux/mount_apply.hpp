// Applies one MountStep inside the rootfs, in the container's mount namespace, before
// pivot_root. The destination is resolved (and created) inside the root through fds and the
// mount lands on /proc/self/fd/N of that fd; /proc here is still the host's, so the magic link
// is trustworthy.
#pragma once

#include "base/error.hpp"
#include "linux/mount_plan.hpp"

namespace burrow::linux {

// `root_fd`: O_PATH fd of the rootfs mount (opened after the rootfs was bound onto itself).
// MountKind::cgroup steps must be expanded first (mount_cgroup.hpp).
Status apply_mount_step(int root_fd, const MountStep& step, const RootfsConfig& config);

// Per-mount flags that a user namespace may not drop from a mount it did not create (the
// kernel locks them): read from the mount `fd` is on, as MS_* flags.
Result<unsigned long> locked_mount_flags(int fd);

}  // namespace burrow::linux
