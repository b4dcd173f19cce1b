#include "linux/rootfs.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include "base/syscalls.hpp"
#include "linux/mount_apply.hpp"
#include "linux/mount_cgroup.hpp"
#include "linux/mount_info.hpp"
#include "linux/no_pivot.hpp"
#include "linux/rootfs_path.hpp"

namespace burrow::linux {
namespace {

// pivot_root refuses (EINVAL) when the new root's parent mount is shared, which it is on hosts
// where "/" is rshared and the spec asked for rshared; runc makes that parent private. An
// unbindable parent (rootfsPropagation "unbindable" makes "/" so, and the rootfs may lie on
// "/") could not be bound onto itself: private too, as runc 1.2 does.
Status make_rootfs_parent_private(const std::vector<MountInfo>& mounts, const std::string& rootfs) {
  const MountInfo* parent = mount_containing(mounts, clean_container_path(rootfs));
  if (!parent || (!parent->shared() && !parent->unbindable())) return {};
  if (::mount(nullptr, parent->mount_point.c_str(), nullptr, MS_PRIVATE, nullptr) < 0)
    return Error::from_errno("make parent mount " + parent->mount_point + " of rootfs private");
  return {};
}

Status bind_rootfs(const RootfsConfig& config) {
  if (!config.rootfs.starts_with("/"))
    return Error::msg("rootfs " + config.rootfs + ": path must be absolute", EINVAL);
  if (config.staging_dir_fd >= 0) {
    // The parent's mount is locked in our copy of its namespace, and pivot_root refuses a locked
    // new root: a clone of it (whose own root is not locked) goes on top.
    Fd tree(::open_tree(config.staging_dir_fd, kStagedRootfs,
                        OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
    if (!tree) return Error::from_errno("clone the staged rootfs " + config.rootfs);
    if (::move_mount(tree.get(), "", config.staging_dir_fd, kStagedRootfs,
                     MOVE_MOUNT_F_EMPTY_PATH) < 0)
      return Error::from_errno("attach the staged rootfs at " + config.rootfs);
    return {};
  }
  if (config.idmapped_rootfs_fd >= 0) {
    if (::move_mount(config.idmapped_rootfs_fd, "", AT_FDCWD, config.rootfs.c_str(),
                     MOVE_MOUNT_F_EMPTY_PATH) < 0)
      return Error::from_errno("attach the idmapped rootfs at " + config.rootfs);
    return {};
  }
  if (::mount(config.rootfs.c_str(), config.rootfs.c_str(), nullptr, MS_BIND | MS_REC, nullptr) < 0)
    return Error::from_errno("bind mount rootfs " + config.rootfs + " onto itself");
  return {};
}

}  // namespace

Result<Fd> open_rootfs(const RootfsConfig& config) {
  if (config.staging_dir_fd >= 0) {
    // Through the mount on it: the topmost, like a lookup of the path.
    Fd root(::openat(config.staging_dir_fd, kStagedRootfs, O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root) return Error::from_errno("open the staged rootfs " + config.rootfs);
    return root;
  }
  return sys::open_path(config.rootfs, O_PATH | O_DIRECTORY);
}

namespace {

// `root` is reopened after a mount on "/" (runc: that mount covers the rootfs, and the mounts
// after it go on top of it); the old fd would keep naming the covered directory, where later
// mounts would be hidden once the new mount is the container's "/".
Status apply_steps(Fd& root, const MountPlan& plan, const RootfsConfig& config,
                   const std::vector<CgroupHierarchy>& hierarchies) {
  for (const auto& step : plan.steps) {
    if (step.kind != MountKind::cgroup) {
      BURROW_TRY(apply_mount_step(root.get(), step, config));
      if (step.destination == "/") root = BURROW_TRY(open_rootfs(config));
      continue;
    }
    auto expanded = expand_cgroup_mount(step, hierarchies, config);
    if (!expanded) return std::move(expanded).error().wrap("mount cgroup on " + step.destination);
    for (auto& sub : *expanded) {
      sub.field = step.field;
      BURROW_TRY(apply_mount_step(root.get(), sub, config));
    }
  }
  return {};
}

Status pivot_into(const RootfsConfig& config) {
  const std::string& rootfs = config.rootfs;
  Fd old_root = BURROW_TRY(sys::open_path("/", O_DIRECTORY | O_RDONLY));
  Fd new_root = BURROW_TRY(open_rootfs(config));
  if (::fchdir(new_root.get()) < 0) return Error::from_errno("chdir to rootfs " + rootfs);
  // pivot_root(".", "."): the old root ends up mounted on top of the new one, no put_old
  // directory needed inside the rootfs (as runc and crun do).
  if (sys::pivot_root(".", ".") < 0) return Error::from_errno("pivot_root " + rootfs);
  if (::fchdir(old_root.get()) < 0) return Error::from_errno("chdir to old root");
  // Detaching must not propagate the unmount to the host: make the old root a slave first.
  if (::mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr) < 0)
    return Error::from_errno("make old root rslave");
  if (::umount2(".", MNT_DETACH) < 0) return Error::from_errno("unmount old root");
  if (::chdir("/") < 0) return Error::from_errno("chdir /");
  return {};
}

Status move_into(const RootfsConfig& config) {
  const std::string& rootfs = config.rootfs;
  BURROW_TRY(hide_host_proc_and_sysfs(rootfs));
  Fd root = BURROW_TRY(open_rootfs(config));
  if (::fchdir(root.get()) < 0) return Error::from_errno("chdir to rootfs " + rootfs);
  if (::mount(".", "/", nullptr, MS_MOVE, nullptr) < 0)
    return Error::from_errno("move rootfs " + rootfs + " to /");
  if (::chroot(".") < 0) return Error::from_errno("chroot " + rootfs);
  if (::chdir("/") < 0) return Error::from_errno("chdir /");
  return {};
}

}  // namespace

Status prepare_rootfs(const MountPlan& plan, const RootfsConfig& config) {
  if (::mount(nullptr, "/", nullptr, plan.root_propagation, nullptr) < 0)
    return Error::from_errno("set propagation of /");
  auto mounts = BURROW_TRY_CTX(read_mount_info(), "read mountinfo");
  // A staged rootfs sits on the detour's mounts, none of them shared.
  if (config.staging_dir_fd < 0) BURROW_TRY(make_rootfs_parent_private(mounts, config.rootfs));
  BURROW_TRY(bind_rootfs(config));
  // Opened after the bind, so the fd is the rootfs mount's root and mounts through it stay
  // visible once it is the container's "/".
  Fd root = BURROW_TRY(open_rootfs(config));
  BURROW_TRY(apply_steps(root, plan, config, cgroup_hierarchies(mounts)));
  BURROW_TRY(create_devices(root.get(), plan.devices, config.in_user_namespace));
  return create_dev_symlinks(root.get(), plan.dev_symlinks);
}

Status enter_rootfs(const RootfsConfig& config) {
  return config.no_pivot ? move_into(config) : pivot_into(config);
}

}  // namespace burrow::linux
