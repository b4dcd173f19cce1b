#include "linux/host_sysfs.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <string>

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

}  // namespace burrow::linux
