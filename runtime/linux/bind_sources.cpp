#include "linux/bind_sources.hpp"

#include <fcntl.h>
#include <sys/mount.h>

#include <spdlog/spdlog.h>

#include <string>

#include "linux/mount_options.hpp"

namespace burrow::linux {
namespace {

// The propagation the detached clone gets (0: keep the source's).
unsigned long clone_propagation(const spec::Spec& spec) {
  std::string asked = spec.linux ? spec.linux->rootfs_propagation : std::string();
  unsigned long flags = propagation_flags(asked);
  if (flags & MS_SHARED) return 0;
  if (flags & MS_PRIVATE) return MS_PRIVATE;
  return MS_SLAVE;
}

std::string describe(const spec::Mount& mount) {
  return "bind mount " + mount.source + " on " + mount.destination;
}

Result<Fd> clone_source(const spec::Mount& mount, unsigned long propagation) {
  bool recursive = parse_mount_options(mount.options).flags & MS_REC;
  unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
  Fd tree(::open_tree(AT_FDCWD, mount.source.c_str(), flags));
  if (!tree) return Error::from_errno(describe(mount) + ": open source");
  if (propagation == 0) return tree;
  struct mount_attr attr {};
  attr.propagation = propagation;
  if (::mount_setattr(tree.get(), "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
                      sizeof attr) < 0)
    return Error::from_errno(describe(mount) + ": set propagation of the source's clone");
  return tree;
}

}  // namespace

Result<std::vector<DetachedBind>> open_bind_sources(const spec::Spec& spec,
                                                    const std::set<size_t>& skip) {
  std::vector<DetachedBind> opened;
  const unsigned long propagation = clone_propagation(spec);
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    const spec::Mount& mount = spec.mounts[i];
    if (!mount.is_bind() || skip.count(i)) continue;
    auto tree = clone_source(mount, propagation);
    // Cloning a mount needs CAP_SYS_ADMIN over our mount namespace: a rootless caller (or root of
    // a user namespace whose mount namespace is the host's) lacks it, and its init, whose root
    // is the caller, binds by path what the caller can reach.
    if (!tree && tree.error().code == EPERM && opened.empty()) {
      spdlog::debug(
          "mounts[{}]: cloning {} is not permitted here (no CAP_SYS_ADMIN over this "
          "mount namespace); the init binds the sources by path",
          i, mount.source);
      return opened;
    }
    if (!tree) return std::move(tree).error().wrap("mounts[" + std::to_string(i) + "]");
    opened.push_back({i, std::move(*tree)});
  }
  return opened;
}

}  // namespace burrow::linux
