#include "linux/mount_apply.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "base/syscalls.hpp"
#include "linux/rootfs_path.hpp"

namespace burrow::linux {
namespace {

const char* or_null(const std::string& s) {
  return s.empty() ? nullptr : s.c_str();
}

std::string describe(const MountStep& step) {
  if (step.kind == MountKind::bind) return "bind mount " + step.source + " on " + step.destination;
  return "mount " + step.type + " on " + step.destination;
}

Result<Fd> resolve_destination(int root_fd, const MountStep& step, Leaf leaf) {
  auto fd = ensure_in_root(root_fd, step.destination, leaf);
  if (!fd)
    return std::move(fd).error().wrap("mount destination " + step.destination +
                                      ": resolve in rootfs");
  return fd;
}

// After a mount, the old fd still names the directory underneath; look the path up again to
// get the new mount's root.
Result<Fd> reopen_destination(int root_fd, const MountStep& step) {
  auto fd = sys::open_in_root(root_fd, step.destination, O_PATH);
  if (!fd)
    return std::move(fd).error().wrap("mount destination " + step.destination +
                                      ": reopen after mount");
  return fd;
}

// CVE-2025-52881 and kin: whatever was mounted at a proc destination must really be procfs
// before anything writes through it.
Status check_procfs(int fd, const std::string& destination) {
  struct statfs fs {};
  if (::fstatfs(fd, &fs) < 0) return Error::from_errno("statfs " + destination);
  if (fs.f_type != PROC_SUPER_MAGIC)
    return Error::msg("mount proc on " + destination + ": mounted filesystem is not procfs",
                      EINVAL);
  return {};
}

Status apply_attributes(int fd, const MountStep& step) {
  for (unsigned long flags : step.propagation) {
    if (::mount(nullptr, sys::fd_path(fd).c_str(), nullptr, flags, nullptr) < 0)
      return Error::from_errno("set propagation of " + step.destination);
  }
  if (step.recursive.empty()) return {};
  struct mount_attr attr {};
  attr.attr_set = step.recursive.set;
  attr.attr_clr = step.recursive.clear;
  if (::mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
    return Error::from_errno("set recursive attributes of " + step.destination);
  return {};
}

Status remount_bind(int fd, const MountStep& step, const RootfsConfig& config) {
  if (step.remount_flags == 0) return {};
  unsigned long flags = step.remount_flags;
  if (config.in_user_namespace) flags |= BURROW_TRY(locked_mount_flags(fd));
  if (::mount(nullptr, sys::fd_path(fd).c_str(), nullptr, MS_BIND | MS_REMOUNT | flags, nullptr) <
      0)
    return Error::from_errno("remount " + step.destination);
  return {};
}

// A proc or sysfs mount is never made through a symlink the rootfs put at its destination (the
// CVE-2019-19921 class: /proc -> somewhere else, so that later writes "to /proc" land there).
Status refuse_symlinked_kernel_fs(int root_fd, const MountStep& step) {
  if (step.type != "proc" && step.type != "sysfs") return {};
  auto existing = sys::open_in_root(root_fd, step.destination, O_PATH | O_NOFOLLOW);
  if (!existing) return {};  // absent: made as a directory
  struct stat st {};
  if (::fstat(existing->get(), &st) == 0 && S_ISLNK(st.st_mode))
    return Error::msg("mount " + step.type + " on " + step.destination +
                          ": the destination is a symlink in the rootfs; refusing",
                      ELOOP);
  return {};
}

Status mount_filesystem(int root_fd, const MountStep& step) {
  BURROW_TRY(refuse_symlinked_kernel_fs(root_fd, step));
  Fd target = BURROW_TRY(resolve_destination(root_fd, step, Leaf::directory));
  if (::mount(or_null(step.source), sys::fd_path(target.get()).c_str(), step.type.c_str(),
              step.flags, or_null(step.data)) < 0)
    return Error::from_errno(describe(step));
  Fd mounted = BURROW_TRY(reopen_destination(root_fd, step));
  if (step.type == "proc") BURROW_TRY(check_procfs(mounted.get(), step.destination));
  return apply_attributes(mounted.get(), step);
}

// The parent's detached idmapped mount for this step (idmapped_mount.hpp).
Result<int> idmapped_fd(const MountStep& step, const RootfsConfig& config) {
  auto found = config.idmapped_mount_fds.find(*step.idmapped_mount);
  if (found == config.idmapped_mount_fds.end())
    return Error::msg(describe(step) + ": idmapped mount was not prepared", EINVAL);
  return found->second;
}

// The bind's source: the host path, or for an idmapped bind the detached mount itself (the
// host path is not what gets attached).
Result<Leaf> source_leaf(const MountStep& step, const RootfsConfig& config) {
  struct stat st {};
  int rc = step.idmapped_mount ? ::fstat(BURROW_TRY(idmapped_fd(step, config)), &st)
                               : ::stat(step.source.c_str(), &st);
  if (rc < 0) return Error::from_errno(describe(step) + ": stat source");
  return S_ISDIR(st.st_mode) ? Leaf::directory : Leaf::file;
}

Status attach(int target_fd, const MountStep& step, const RootfsConfig& config) {
  if (step.idmapped_mount) {
    int tree = BURROW_TRY(idmapped_fd(step, config));
    if (::move_mount(tree, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) <
        0)
      return Error::from_errno(describe(step) + ": attach idmapped mount");
    return {};
  }
  if (::mount(step.source.c_str(), sys::fd_path(target_fd).c_str(), nullptr, step.flags, nullptr) <
      0)
    return Error::from_errno(describe(step));
  return {};
}

Status mount_bind(int root_fd, const MountStep& step, const RootfsConfig& config) {
  Leaf leaf = BURROW_TRY(source_leaf(step, config));
  Fd target = BURROW_TRY(resolve_destination(root_fd, step, leaf));
  BURROW_TRY(attach(target.get(), step, config));
  Fd mounted = BURROW_TRY(reopen_destination(root_fd, step));
  BURROW_TRY(remount_bind(mounted.get(), step, config));
  return apply_attributes(mounted.get(), step);
}

Status change_existing(int root_fd, const MountStep& step, const RootfsConfig& config) {
  Fd mounted = BURROW_TRY(reopen_destination(root_fd, step));
  BURROW_TRY(remount_bind(mounted.get(), step, config));
  return apply_attributes(mounted.get(), step);
}

Status make_symlink(int root_fd, const MountStep& step) {
  Fd dir = BURROW_TRY_CTX(ensure_parent_in_root(root_fd, step.destination),
                          "symlink " + step.destination);
  std::string name = split_parent(step.destination).second;
  if (::symlinkat(step.source.c_str(), dir.get(), name.c_str()) < 0)
    return Error::from_errno("symlink " + step.destination + " -> " + step.source);
  return {};
}

}  // namespace

Result<unsigned long> locked_mount_flags(int fd) {
  struct statvfs vfs {};
  if (::fstatvfs(fd, &vfs) < 0) return Error::from_errno("statvfs");
  unsigned long flags = 0;
  if (vfs.f_flag & ST_RDONLY) flags |= MS_RDONLY;
  if (vfs.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (vfs.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (vfs.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  return flags;
}

Status apply_mount_step(int root_fd, const MountStep& step, const RootfsConfig& config) {
  switch (step.kind) {
    case MountKind::filesystem:
      return mount_filesystem(root_fd, step);
    case MountKind::bind:
      return mount_bind(root_fd, step, config);
    case MountKind::remount:
      return change_existing(root_fd, step, config);
    case MountKind::symlink:
      return make_symlink(root_fd, step);
    case MountKind::cgroup:
      break;
  }
  return Error::msg("mount " + step.destination + ": cgroup step was not expanded", EINVAL);
}

}  // namespace burrow::linux
