// Bind sources opened from the host side, for a container with a user namespace. Its root is an
// unprivileged host uid that may not reach a source its config names (one under a 0700
// directory of host root), so the parent, before clone3 and with the host's privileges, clones
// each bind source into a detached mount (open_tree OPEN_TREE_CLONE), as runc opens the sources
// for such an init. The init inherits the fds and attaches each at its turn in the mount plan,
// with every check on the destination a bind gets (mount_apply.cpp).
#pragma once

#include <cstddef>
#include <set>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "spec/model.hpp"

namespace burrow::linux {

struct DetachedBind {
  size_t index = 0;  // in spec.mounts
  Fd fd;             // detached clone of the source (recursive for rbind), O_CLOEXEC
};

// One detached clone for each bind in spec.mounts but the indexes in `skip` (mounts prepared
// otherwise: idmapped binds, the generated resolv.conf). The clone is a slave of the source's
// peer group (private with a rootfsPropagation of private or rprivate, a peer with shared or
// rshared), as the init's own clone of its mount namespace's copy would be: mounts made on it
// in the container never reach the host. Empty when the caller may not clone mounts (rootless,
// or root of a user namespace that does not own its mount namespace): that init binds the
// sources by path, as the caller could reach them.
Result<std::vector<DetachedBind>> open_bind_sources(const spec::Spec& spec,
                                                    const std::set<size_t>& skip);

}  // namespace burrow::linux
