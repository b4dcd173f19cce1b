// finish_rootfs (declared in rootfs.hpp): the steps after pivot_root. They use the new mount
// API (open_tree, fsopen, move_mount, mount_setattr) on fds resolved inside the new root, so they
// need no trusted /proc and follow no path the container could swap.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/syscalls.hpp"
#include "linux/rootfs.hpp"

namespace burrow::linux {
namespace {

// Missing paths are skipped (runc): a readonly or masked path the image lacks is no error.
Result<Fd> open_optional(int root_fd, const std::string& path, int flags) {
  auto fd = sys::open_in_root(root_fd, path, flags);
  if (!fd && fd.error().code == ENOENT) return Fd();
  return fd;
}

Status attach_tree(int tree_fd, int target_fd, const std::string& path) {
  if (::move_mount(tree_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) <
      0)
    return Error::from_errno("attach mount on " + path);
  return {};
}

Status set_attr(int fd, unsigned int flags, uint64_t set, const std::string& what) {
  struct mount_attr attr {};
  attr.attr_set = set;
  if (::mount_setattr(fd, "", AT_EMPTY_PATH | flags, &attr, sizeof attr) < 0)
    return Error::from_errno(what);
  return {};
}

Status make_readonly_path(int root_fd, const std::string& path) {
  Fd target = BURROW_TRY(open_optional(root_fd, path, O_PATH));
  if (!target) return {};
  // Bind the path over itself (recursively: a user namespace may not split off locked
  // submounts), then make the copy read-only; other per-mount flags stay as they were.
  int tree = ::open_tree(target.get(), "",
                         OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
  if (tree < 0) return Error::from_errno("bind " + path);
  Fd tree_fd(tree);
  BURROW_TRY(
      set_attr(tree_fd.get(), AT_RECURSIVE, MOUNT_ATTR_RDONLY, "make " + path + " read-only"));
  return attach_tree(tree_fd.get(), target.get(), path);
}

std::string kind_of(const struct stat& st) {
  if (S_ISLNK(st.st_mode)) return "a symlink";
  if (S_ISREG(st.st_mode)) return "a regular file";
  if (S_ISDIR(st.st_mode)) return "a directory";
  if (S_ISCHR(st.st_mode))
    return "the character device " + std::to_string(major(st.st_rdev)) + ":" +
           std::to_string(minor(st.st_rdev));
  return "a special file";
}

// CVE-2025-31133: the container's /dev/null could be a symlink or a plain file by now; binding
// that over a masked path would unmask it or expose a host file. Only the real 1:3 node will do.
Result<Fd> open_dev_null(int root_fd) {
  Fd fd = BURROW_TRY(sys::open_in_root(root_fd, "/dev/null", O_PATH | O_NOFOLLOW));
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) return Error::from_errno("stat /dev/null");
  if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 || minor(st.st_rdev) != 3)
    return Error::msg(
        "/dev/null is " + kind_of(st) + ", not the 1:3 character device; refusing to mask with it",
        EINVAL);
  return fd;
}

Status mask_with_tmpfs(int target_fd, const std::string& path) {
  int fs = ::fsopen("tmpfs", FSOPEN_CLOEXEC);
  if (fs < 0) return Error::from_errno("fsopen tmpfs");
  Fd fs_fd(fs);
  if (::fsconfig(fs_fd.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0)
    return Error::from_errno("create tmpfs");
  int mnt = ::fsmount(fs_fd.get(), FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY);
  if (mnt < 0) return Error::from_errno("fsmount tmpfs");
  Fd mnt_fd(mnt);
  return attach_tree(mnt_fd.get(), target_fd, path);
}

Status mask_with_dev_null(int root_fd, int target_fd, const std::string& path) {
  Fd null_fd = BURROW_TRY(open_dev_null(root_fd));
  int tree = ::open_tree(null_fd.get(), "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
  if (tree < 0) return Error::from_errno("clone /dev/null");
  Fd tree_fd(tree);
  return attach_tree(tree_fd.get(), target_fd, path);
}

Status mask_path(int root_fd, const std::string& path) {
  Fd target = BURROW_TRY(open_optional(root_fd, path, O_PATH));
  if (!target) return {};
  struct stat st {};
  if (::fstat(target.get(), &st) < 0) return Error::from_errno("stat " + path);
  if (S_ISDIR(st.st_mode)) return mask_with_tmpfs(target.get(), path);
  return mask_with_dev_null(root_fd, target.get(), path);
}

// The /dev mount alone, as runc: /dev/pts and /dev/shm on it stay as they were.
Status make_dev_readonly(int root_fd) {
  Fd dev = BURROW_TRY(sys::open_in_root(root_fd, "/dev", O_PATH | O_DIRECTORY | O_NOFOLLOW));
  return set_attr(dev.get(), 0, MOUNT_ATTR_RDONLY, "remount /dev read-only");
}

}  // namespace

Status finish_rootfs(const MountPlan& plan, const RootfsConfig& config) {
  Fd root = BURROW_TRY(sys::open_path("/", O_PATH | O_DIRECTORY));
  for (const auto& path : config.readonly_paths)
    BURROW_TRY_CTX(make_readonly_path(root.get(), path), "readonly path " + path);
  for (const auto& path : config.masked_paths)
    BURROW_TRY_CTX(mask_path(root.get(), path), "masked path " + path);
  if (plan.readonly_dev) BURROW_TRY(make_dev_readonly(root.get()));
  if (config.readonly_root)
    BURROW_TRY(set_attr(root.get(), 0, MOUNT_ATTR_RDONLY, "remount / read-only"));
  if (plan.final_root_propagation != 0 &&
      ::mount(nullptr, "/", nullptr, plan.final_root_propagation, nullptr) < 0)
    return Error::from_errno("set propagation of /");
  return {};
}

}  // namespace burrow::linux
