#include "linux/no_pivot.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fd.hpp"
#include "base/syscalls.hpp"
#include "linux/mount_info.hpp"
#include "linux/private_proc.hpp"

namespace burrow::linux {
namespace {

bool is_at_or_under(const std::string& path, const std::string& dir) {
  return path == dir || path.starts_with(dir == "/" ? dir : dir + "/");
}

// A whole procfs or sysfs (its root is mounted) outside the container's rootfs.
bool is_host_proc_or_sysfs(const MountInfo& mount, const std::string& rootfs) {
  return mount.root == "/" && (mount.fs_type == "proc" || mount.fs_type == "sysfs") &&
         !is_at_or_under(mount.mount_point, rootfs);
}

// The mount at `mount.mount_point`, reached through no symlink; empty when that path is gone (it
// was under a mount detached before) or something else is mounted on top of it now (which then
// covers it).
Result<Fd> open_mount_root(const MountInfo& mount) {
  auto fd = sys::open_resolved(AT_FDCWD, mount.mount_point, O_PATH | O_DIRECTORY,
                               RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
  if (!fd && fd.error().code == ENOENT) return Fd();
  if (!fd) return std::move(fd).error();
  struct statx stx {};
  if (::statx(fd->get(), "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0)
    return Error::from_errno("statx " + mount.mount_point);
  bool is_root = (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
                 (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
  if (!is_root || stx.stx_mnt_id != static_cast<uint64_t>(mount.id)) return Fd();
  return fd;
}

// Unmounts don't propagate out of the container's namespace: the mount and everything under it
// become slaves first (rootfsPropagation may have left them shared with the host).
Status make_slave(int fd, const std::string& where) {
  struct mount_attr attr {};
  attr.propagation = MS_SLAVE;
  if (::mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
    return Error::from_errno("make " + where + " rslave");
  return {};
}

Status cover_with_tmpfs(int target_fd, const std::string& where) {
  Fd context(::fsopen("tmpfs", FSOPEN_CLOEXEC));
  if (!context) return Error::from_errno("fsopen tmpfs");
  if (::fsconfig(context.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0)
    return Error::from_errno("create tmpfs");
  Fd tmpfs(::fsmount(context.get(), FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY));
  if (!tmpfs) return Error::from_errno("fsmount tmpfs");
  if (::move_mount(tmpfs.get(), "", target_fd, "",
                   MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return Error::from_errno("cover " + where + " with a tmpfs");
  return {};
}

// Detached through the fd's magic link in a procfs of our own, so that the path is looked up
// once (by open_mount_root) and the host's /proc may be among the mounts that go.
Status hide(int proc_fd, const MountInfo& mount) {
  Fd target = BURROW_TRY(open_mount_root(mount));
  if (!target) return {};
  BURROW_TRY(make_slave(target.get(), mount.mount_point));
  std::string link = "self/fd/" + std::to_string(target.get());
  if (::fchdir(proc_fd) < 0) return Error::from_errno("chdir to the init's procfs");
  if (::umount2(link.c_str(), MNT_DETACH) == 0) return {};
  if (errno != EINVAL && errno != EPERM) return Error::from_errno("unmount " + mount.mount_point);
  return cover_with_tmpfs(target.get(), mount.mount_point);  // locked in our user namespace
}

}  // namespace

Status hide_host_proc_and_sysfs(const std::string& rootfs) {
  auto mounts = BURROW_TRY_CTX(read_mount_info(), "read mountinfo");
  Fd proc = BURROW_TRY(open_private_procfs());
  for (const auto& mount : mounts) {
    if (!is_host_proc_or_sysfs(mount, rootfs)) continue;
    BURROW_TRY_CTX(hide(proc.get(), mount), "hide the host's " + mount.fs_type + " at " +
                                                mount.mount_point + " (--no-pivot)");
  }
  if (::chdir("/") < 0) return Error::from_errno("chdir /");
  return {};
}

}  // namespace burrow::linux
