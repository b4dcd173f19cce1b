#include "linux/mount_apply.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "base/syscalls.hpp"
#include "linux/mount_options.hpp"
#include "linux/rootfs.hpp"
#include "linux/rootfs_path.hpp"
#include "spec/known_names.hpp"

namespace burrow::linux {
namespace {

const char* or_null(const std::string& s) {
  return s.empty() ? nullptr : s.c_str();
}

std::string describe(const MountStep& step) {
  if (step.kind == MountKind::bind) return "bind mount " + step.source + " on " + step.destination;
  return "mount " + step.type + " on " + step.destination;
}

// Errors about where a step lands name its config.json entry: "mounts[3].destination: ...".
Error destination_error(const MountStep& step, Error error) {
  if (step.field.empty()) return error;
  return std::move(error).wrap(step.field + ".destination");
}

Result<Fd> resolve_destination(int root_fd, const MountStep& step, Leaf leaf) {
  auto fd = ensure_in_root(root_fd, step.destination, leaf);
  if (!fd)
    return destination_error(
        step, std::move(fd).error().wrap("resolve " + step.destination + " in the rootfs"));
  return fd;
}

bool is_procfs(int fd) {
  struct statfs fs {};
  return ::fstatfs(fd, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
}

// CVE-2025-52881 and kin: whatever was mounted at a proc destination must really be procfs
// before anything writes through it.
Status check_procfs(int fd, const MountStep& step) {
  if (is_procfs(fd)) return {};
  return destination_error(
      step, Error::msg("mount proc on " + step.destination + ": mounted filesystem is not procfs",
                       EINVAL));
}

// A proc, sysfs or /dev mount is never made through a symlink the rootfs put at its destination
// (the CVE-2019-19921 class: /proc -> somewhere else, so that later writes "to /proc" land there;
// /dev -> a shared directory, so that the runtime's device nodes appear in it).
Status refuse_symlinked_destination(int root_fd, const MountStep& step) {
  if (step.type != "proc" && step.type != "sysfs" && step.destination != "/dev") return {};
  auto existing = sys::open_in_root(root_fd, step.destination, O_PATH | O_NOFOLLOW);
  if (!existing) return {};  // absent: made as a directory
  struct stat st {};
  if (::fstat(existing->get(), &st) == 0 && S_ISLNK(st.st_mode))
    return destination_error(
        step, Error::msg(describe(step) + ": the destination is a symlink in the rootfs; "
                                          "refusing",
                         ELOOP));
  return {};
}

// A destination that resolves into the container's procfs (a symlink in the image pointing at
// /proc/sys, say) is held to the rule config.json's own /proc paths are held to (spec validation):
// proc over proc, or a bind over one of lxcfs's files.
Status refuse_landing_in_proc(int root_fd, int target_fd, const MountStep& step) {
  if (!is_procfs(target_fd)) return {};
  if (step.kind == MountKind::filesystem && step.type == "proc") return {};
  if (step.kind == MountKind::bind &&
      (step.destination == "/proc" || spec::is_bindable_proc_file(step.destination)))
    return {};
  std::string where = BURROW_TRY(path_inside_root(root_fd, target_fd));
  return destination_error(step, Error::msg(step.destination + " resolves to " + where +
                                                " in the rootfs, inside /proc, where only "
                                                "lxcfs's files may be mounted",
                                            EPERM));
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

Result<struct statx> statx_of(int fd, const std::string& what) {
  struct statx stx {};
  if (::statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) < 0)
    return Error::from_errno("statx " + what);
  return stx;
}

// After mount(2) on the target fd, that fd still names the directory underneath. The new mount
// is found again by the path the target had (`where`, symlinks already resolved), following no
// symlink now: another container swapping a directory for a symlink in the meantime makes this
// fail instead of handing back some other mount. It must be a mount root other than the target.
// A mount on "/" itself covers the rootfs: `root_fd` still names the directory underneath, so the
// new mount is found by the rootfs's host path (the runtime's own, not the container's).
Result<Fd> open_mounted_at(int root_fd, const std::string& where, const RootfsConfig& config) {
  if (where == "/") return open_rootfs(config);
  constexpr uint64_t kResolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  return sys::open_resolved(root_fd, where, O_PATH | O_DIRECTORY, kResolve);
}

Result<Fd> reopen_mounted(int root_fd, int target_fd, const std::string& where,
                          const MountStep& step, const RootfsConfig& config) {
  auto mounted = open_mounted_at(root_fd, where, config);
  if (!mounted)
    return destination_error(step, std::move(mounted).error().wrap("reopen " + step.destination +
                                                                   " after mounting on it"));
  struct statx below = BURROW_TRY(statx_of(target_fd, step.destination));
  struct statx above = BURROW_TRY(statx_of(mounted->get(), step.destination));
  bool is_new_mount = (above.stx_attributes & STATX_ATTR_MOUNT_ROOT) &&
                      (above.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
                      above.stx_mnt_id != below.stx_mnt_id;
  if (!is_new_mount)
    return destination_error(
        step, Error::msg(step.destination + " was moved or replaced while it was mounted on; "
                                            "refusing",
                         EBUSY));
  return mounted;
}

// The data string to mount with. runc and crun: a tmpfs without `mode=` starts with the mode of
// the directory it covers (looked at before a missing one is made: that tmpfs keeps 1777).
std::string filesystem_data(int root_fd, const MountStep& step) {
  if (step.type != "tmpfs") return step.data;
  auto existing = sys::open_in_root(root_fd, step.destination, O_PATH);
  struct stat st {};
  if (!existing || ::fstat(existing->get(), &st) < 0 || !S_ISDIR(st.st_mode)) return step.data;
  return tmpfs_data_with_mode(step.data, st.st_mode);
}

Status mount_filesystem(int root_fd, const MountStep& step, const RootfsConfig& config) {
  BURROW_TRY(refuse_symlinked_destination(root_fd, step));
  std::string data = filesystem_data(root_fd, step);
  Fd target = BURROW_TRY(resolve_destination(root_fd, step, Leaf::directory));
  BURROW_TRY(refuse_landing_in_proc(root_fd, target.get(), step));
  auto where = path_inside_root(root_fd, target.get());
  if (!where) return destination_error(step, std::move(where).error());
  if (::mount(or_null(step.source), sys::fd_path(target.get()).c_str(), step.type.c_str(),
              step.flags, or_null(data)) < 0)
    return Error::from_errno(describe(step));
  Fd mounted = BURROW_TRY(reopen_mounted(root_fd, target.get(), *where, step, config));
  if (step.type == "proc") BURROW_TRY(check_procfs(mounted.get(), step));
  return apply_attributes(mounted.get(), step);
}

// The parent's detached mount for this step: an idmapped bind (idmapped_mount.hpp), a source
// opened from the host side (bind_sources.hpp), the generated resolv.conf.
Result<int> detached_fd(const MountStep& step, const RootfsConfig& config) {
  auto found = config.detached_mount_fds.find(*step.detached_mount);
  if (found == config.detached_mount_fds.end())
    return Error::msg(describe(step) + ": the detached mount was not prepared", EINVAL);
  return found->second;
}

// The bind's source: the host path, or the parent's detached mount itself (the host path is not
// what gets attached, and the init may not be able to reach it).
Result<Leaf> source_leaf(const MountStep& step, const RootfsConfig& config) {
  struct stat st {};
  int rc = step.detached_mount ? ::fstat(BURROW_TRY(detached_fd(step, config)), &st)
                               : ::stat(step.source.c_str(), &st);
  if (rc < 0) return Error::from_errno(describe(step) + ": stat source");
  return S_ISDIR(st.st_mode) ? Leaf::directory : Leaf::file;
}

// The mount to attach, detached: a clone of the source (recursive for rbind), or the parent's
// detached mount. Once attached its fd names the new mount itself, so nothing is looked up by
// path again to remount it (a path another container could have swapped by then).
struct Tree {
  Fd owned;     // the clone; empty for the parent's mount (RootfsConfig owns that one)
  int fd = -1;  // what to attach and then remount
};

Result<Tree> detached_tree(const MountStep& step, const RootfsConfig& config) {
  if (step.detached_mount) return Tree{Fd(), BURROW_TRY(detached_fd(step, config))};
  unsigned int flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC;
  if (step.flags & MS_REC) flags |= AT_RECURSIVE;
  Fd tree(::open_tree(AT_FDCWD, step.source.c_str(), flags));
  if (!tree) return Error::from_errno(describe(step));
  int fd = tree.get();
  return Tree{std::move(tree), fd};
}

Status attach(int tree_fd, int target_fd, const MountStep& step) {
  if (::move_mount(tree_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) <
      0)
    return Error::from_errno(describe(step));
  return {};
}

Status mount_bind(int root_fd, const MountStep& step, const RootfsConfig& config) {
  Leaf leaf = BURROW_TRY(source_leaf(step, config));
  Tree tree = BURROW_TRY(detached_tree(step, config));
  if (step.destination == "/proc" && !is_procfs(tree.fd))
    return destination_error(
        step,
        Error::msg("only procfs may be bound on /proc, and this source is not procfs", EPERM));
  Fd target = BURROW_TRY(resolve_destination(root_fd, step, leaf));
  BURROW_TRY(refuse_landing_in_proc(root_fd, target.get(), step));
  BURROW_TRY(attach(tree.fd, target.get(), step));
  BURROW_TRY(remount_bind(tree.fd, step, config));
  return apply_attributes(tree.fd, step);
}

// A later step changing a mount made earlier (the cgroup tmpfs made read-only at the end).
Status change_existing(int root_fd, const MountStep& step, const RootfsConfig& config) {
  auto mounted = sys::open_in_root(root_fd, step.destination, O_PATH);
  if (!mounted)
    return destination_error(step, std::move(mounted).error().wrap("reopen " + step.destination));
  BURROW_TRY(remount_bind(mounted->get(), step, config));
  return apply_attributes(mounted->get(), step);
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
      return mount_filesystem(root_fd, step, config);
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
