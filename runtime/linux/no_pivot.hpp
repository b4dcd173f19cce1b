// --no-pivot moves the rootfs onto "/" and chroots into it (MS_MOVE + chroot, for roots that
// pivot_root refuses, such as an initramfs): the host's root stays mounted underneath, in the
// container's mount namespace. The kernel lets a user namespace mount a new procfs or sysfs only
// while its mount namespace holds a fully visible one (no locked mount covering any of its
// files); the host's whole /proc and /sys under the old root would be, and a process in the
// container could then mount a procfs without the container's masks from a nested user
// namespace. As runc does before MS_MOVE: every full procfs and sysfs mount outside the rootfs
// is detached, or covered by an empty tmpfs where it cannot be (locked: the runtime is in a user
// namespace itself).
#pragma once

#include <string>

#include "base/error.hpp"

namespace burrow::linux {

// In the container's mount namespace, before the rootfs is moved onto "/". `rootfs`: absolute,
// resolved host path; mounts at or under it are the container's own and stay.
Status hide_host_proc_and_sysfs(const std::string& rootfs);

}  // namespace burrow::linux
