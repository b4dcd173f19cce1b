// finish_rootfs (declared in rootfs.hpp): the steps after pivot_root. They use the new mount
// API (open_tree, fsopen, move_mount, mount_setattr) on fds resolved inside the new root, so they
// need no trusted /proc and follow no path the container could swap.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/syscalls.hpp"
#include "linux/mask.hpp"
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
  auto dev_null = [&] { return open_dev_null(root.get()); };
  for (const auto& path : config.masked_paths)
    BURROW_TRY_CTX(mask_path(root.get(), path, dev_null), "masked path " + path);
  if (plan.readonly_dev) BURROW_TRY(make_dev_readonly(root.get()));
  if (config.readonly_root)
    BURROW_TRY(set_attr(root.get(), 0, MOUNT_ATTR_RDONLY, "remount / read-only"));
  if (plan.final_root_propagation != 0 &&
      ::mount(nullptr, "/", nullptr, plan.final_root_propagation, nullptr) < 0)
    return Error::from_errno("set propagation of /");
  return {};
}

}  // namespace burrow::linux
