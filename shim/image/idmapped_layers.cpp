#include "image/idmapped_layers.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fd.hpp"
#include "base/file.hpp"

namespace burrow::shim::image {

Result<IdmappedLayers> IdmappedLayers::attach(const std::vector<std::string>& layers,
                                              const std::string& dir, int userns_fd) {
  if (::mkdir(dir.c_str(), 0700) < 0) return Error::from_errno("mkdir " + dir);
  IdmappedLayers attached(dir);
  for (size_t i = 0; i < layers.size(); ++i) {
    const std::string& layer = layers[i];
    Fd tree(::open_tree(AT_FDCWD, layer.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
    if (!tree) return Error::from_errno("open_tree " + layer);
    struct mount_attr attr {};
    attr.attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_RDONLY;
    attr.userns_fd = static_cast<uint64_t>(userns_fd);
    if (::mount_setattr(tree.get(), "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
      return Error::from_errno("idmap " + layer);
    std::string point = dir + "/" + std::to_string(i);
    if (::mkdir(point.c_str(), 0700) < 0) return Error::from_errno("mkdir " + point);
    if (::move_mount(tree.get(), "", AT_FDCWD, point.c_str(), MOVE_MOUNT_F_EMPTY_PATH) < 0)
      return Error::from_errno("attach the idmapped " + layer);
    attached.paths_.push_back(point);
  }
  return attached;
}

IdmappedLayers::IdmappedLayers(IdmappedLayers&& other) noexcept
    : dir_(std::move(other.dir_)), paths_(std::move(other.paths_)) {
  other.dir_.clear();
  other.paths_.clear();
}

IdmappedLayers::~IdmappedLayers() {
  (void)release();
}

Status IdmappedLayers::release() {
  Status first;
  for (const auto& point : paths_) {
    if (::umount2(point.c_str(), MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT && first)
      first = Error::from_errno("detach " + point);
    if (::rmdir(point.c_str()) < 0 && errno != ENOENT && first)
      first = Error::from_errno("rmdir " + point);
  }
  paths_.clear();
  if (!dir_.empty() && ::rmdir(dir_.c_str()) < 0 && errno != ENOENT && first)
    first = Error::from_errno("rmdir " + dir_);
  dir_.clear();
  return first;
}

}  // namespace burrow::shim::image
