// sysfs for a container whose user namespace does not own its network namespace (the host's, or
// one joined by path). The kernel refuses such a sysfs mount (runc fails there), so burrow gives
// the container the host's sysfs instead, by a bind that is safe to hand over:
//   - non-recursive: the host's mounts under /sys (every cgroup hierarchy, securityfs, debugfs,
//     ...) stay behind. A recursive bind brought the host's cgroup tree along, writable, under
//     the container's own cgroup mounts, which container root could unmount.
//   - made by the parent, on the host side, before clone3: inside the container's user namespace
//     the kernel refuses a non-recursive bind of a mount whose children are locked (it would
//     reveal what they cover), so the init could only bind recursively.
//   - read-only, nosuid, nodev, noexec whatever the mount's options say: it is the host's.
//   - with the masks over it locked: in a new user and mount namespace (the case that matters,
//     a root runtime), the parent stages the clone with linux.maskedPaths masked inside a private
//     mount namespace of its own (mount_detour.hpp) before clone3, so the init's copy of that
//     namespace has the masks locked to the sysfs: container root cannot unmount one to read
//     the host's /sys/firmware under it. Masks the init makes itself are not locked.
// The init attaches the detached mount with move_mount, like an idmapped bind (mount_apply.cpp);
// a staged one it first clones, recursively, from the staging dir.
#pragma once

#include <vector>

#include "base/error.hpp"
#include "linux/idmapped_mount.hpp"
#include "linux/mount_plan.hpp"
#include "spec/model.hpp"

namespace burrow::linux {

// Whether the user namespace `userns_fd` owns the network namespace `netns_fd` (NS_GET_USERNS):
// then its root may mount a sysfs of its own there.
Result<bool> user_namespace_owns_network(int userns_fd, int netns_fd);

// Whether the container's sysfs mounts become binds of the host's /sys (mount_plan.cpp).
bool sysfs_from_host(const RootfsConfig& config);

// One detached, non-recursive, read-only clone of the host's /sys for each sysfs mount of a
// container for which sysfs_from_host holds; none otherwise. Needs CAP_SYS_ADMIN over the
// caller's mount namespace and a /sys without locked children (true for root on the host; not
// for a runtime in a user namespace, which gets the recursive bind its user sees on the host).
Result<std::vector<IdmappedMount>> prepare_host_sysfs(const spec::Spec& spec,
                                                      const RootfsConfig& config);

// Stages `prepared` (prepare_host_sysfs) for an init cloned into a new user and mount
// namespace while the caller is on a MountDetour: attaches it on `staging_dir` (an empty
// directory the caller made) and masks there every linux.maskedPaths entry below a sysfs mount's
// destination. The init clones it from there (process/init_rootfs.cpp).
Status stage_host_sysfs(const spec::Spec& spec, const IdmappedMount& prepared,
                        const std::string& staging_dir);

// The paths below the sysfs mounts' destinations that linux.maskedPaths masks, relative to the
// sysfs root ("/firmware" for /sys/firmware), each once, in config order.
std::vector<std::string> masked_paths_in_sysfs(const spec::Spec& spec);

}  // namespace burrow::linux
