#include "linux/mask.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "base/syscalls.hpp"

namespace burrow::linux {
namespace {

std::string kind_of(const struct stat& st) {
  if (S_ISLNK(st.st_mode)) return "a symlink";
  if (S_ISREG(st.st_mode)) return "a regular file";
  if (S_ISDIR(st.st_mode)) return "a directory";
  if (S_ISCHR(st.st_mode))
    return "the character device " + std::to_string(major(st.st_rdev)) + ":" +
           std::to_string(minor(st.st_rdev));
  return "a special file";
}

Status attach_tree(int tree_fd, int target_fd, const std::string& path) {
  if (::move_mount(tree_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) <
      0)
    return Error::from_errno("attach mount on " + path);
  return {};
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

Status mask_with_dev_null(int null_fd, int target_fd, const std::string& path) {
  int tree = ::open_tree(null_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
  if (tree < 0) return Error::from_errno("clone /dev/null");
  Fd tree_fd(tree);
  return attach_tree(tree_fd.get(), target_fd, path);
}

}  // namespace

Result<Fd> open_dev_null(int root_fd, const std::string& path) {
  Fd fd = BURROW_TRY(sys::open_in_root(root_fd, path, O_PATH | O_NOFOLLOW));
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) return Error::from_errno("stat " + path);
  if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 || minor(st.st_rdev) != 3)
    return Error::msg(
        path + " is " + kind_of(st) + ", not the 1:3 character device; refusing to mask with it",
        EINVAL);
  return fd;
}

Status mask_path(int root_fd, const std::string& path,
                 const std::function<Result<Fd>()>& dev_null) {
  auto target = sys::open_in_root(root_fd, path, O_PATH);
  if (!target && target.error().code == ENOENT) return {};
  if (!target) return std::move(target).error();
  struct stat st {};
  if (::fstat(target->get(), &st) < 0) return Error::from_errno("stat " + path);
  if (S_ISDIR(st.st_mode)) return mask_with_tmpfs(target->get(), path);
  Fd null_fd = BURROW_TRY(dev_null());
  return mask_with_dev_null(null_fd.get(), target->get(), path);
}

}  // namespace burrow::linux
