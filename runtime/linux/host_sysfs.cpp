#include "linux/host_sysfs.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "base/syscalls.hpp"
#include "linux/mask.hpp"
#include "linux/rootfs_path.hpp"

namespace burrow::linux {

Result<bool> user_namespace_owns_network(int userns_fd, int netns_fd) {
  Fd owner(::ioctl(netns_fd, NS_GET_USERNS));
  if (!owner) return Error::from_errno("owner of the network namespace (NS_GET_USERNS)");
  struct stat owner_st {};
  struct stat userns_st {};
  if (::fstat(owner.get(), &owner_st) < 0) return Error::from_errno("stat network owner");
  if (::fstat(userns_fd, &userns_st) < 0) return Error::from_errno("stat user namespace");
  return owner_st.st_dev == userns_st.st_dev && owner_st.st_ino == userns_st.st_ino;
}

bool sysfs_from_host(const RootfsConfig& config) {
  return config.in_user_namespace && !config.owns_network_namespace;
}

Result<std::vector<IdmappedMount>> prepare_host_sysfs(const spec::Spec& spec,
                                                      const RootfsConfig& config) {
  std::vector<IdmappedMount> prepared;
  if (!sysfs_from_host(config)) return prepared;
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    if (spec.mounts[i].type != "sysfs") continue;
    std::string context = "mounts[" + std::to_string(i) + "]: sysfs from the host's /sys";
    Fd tree(::open_tree(AT_FDCWD, "/sys", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
    if (!tree) return Error::from_errno(context + ": open_tree");
    struct mount_attr attr {};
    attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
    if (::mount_setattr(tree.get(), "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
      return Error::from_errno(context + ": mount_setattr");
    prepared.push_back({i, std::move(tree)});
  }
  return prepared;
}

std::vector<std::string> masked_paths_in_sysfs(const spec::Spec& spec) {
  std::vector<std::string> inside;
  if (!spec.linux) return inside;
  for (const auto& mount : spec.mounts) {
    if (mount.type != "sysfs") continue;
    std::string destination = clean_container_path(mount.destination);
    for (const auto& masked : spec.linux->masked_paths) {
      std::string path = clean_container_path(masked);
      if (destination == "/" || path.size() <= destination.size() ||
          path.compare(0, destination.size(), destination) != 0 || path[destination.size()] != '/')
        continue;
      std::string relative = path.substr(destination.size());
      if (std::find(inside.begin(), inside.end(), relative) == inside.end())
        inside.push_back(relative);
    }
  }
  return inside;
}

Status stage_host_sysfs(const spec::Spec& spec, const IdmappedMount& prepared,
                        const std::string& staging_dir) {
  std::string context = "mounts[" + std::to_string(prepared.index) + "]: stage the host's /sys";
  if (::move_mount(prepared.fd.get(), "", AT_FDCWD, staging_dir.c_str(), MOVE_MOUNT_F_EMPTY_PATH) <
      0)
    return Error::from_errno(context + " on " + staging_dir);
  Fd sysfs = BURROW_TRY_CTX(sys::open_path(staging_dir, O_PATH | O_DIRECTORY), context);
  auto dev_null = []() -> Result<Fd> {
    Fd host_root = BURROW_TRY(sys::open_path("/", O_PATH | O_DIRECTORY));
    return open_dev_null(host_root.get());
  };
  for (const auto& path : masked_paths_in_sysfs(spec))
    BURROW_TRY_CTX(mask_path(sysfs.get(), path, dev_null), context + ": mask " + path);
  return {};
}

}  // namespace burrow::linux
