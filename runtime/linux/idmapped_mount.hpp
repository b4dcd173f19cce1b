// Idmapped bind mounts (runtime-spec 1.2: mounts[].uidMappings/gidMappings, idmap/ridmap),
// prepared by the host-side parent before clone3: MOUNT_ATTR_IDMAP needs a user namespace
// holding the mapping and a detached mount, and both are made here, with the host's privileges.
// The container init inherits the detached mount fds and attaches each with move_mount
// (mount_apply.cpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "spec/model.hpp"

namespace burrow::linux {

struct IdmappedMount {
  size_t index = 0;  // in spec.mounts
  Fd fd;             // detached (open_tree clone), idmapped, O_CLOEXEC
};

// One detached idmapped mount for each idmapped spec mount, in spec order. The mapping is the
// mount's own, else the container's linux.uidMappings/gidMappings. Kernel semantics: a file whose
// on-disk owner is containerID + n is seen through the mount as hostID + n. On failure nothing
// is left behind (no helper process, no fd).
Result<std::vector<IdmappedMount>> prepare_idmapped_mounts(const spec::Spec& spec);

// A user namespace whose maps are these, as an fd for mount_attr.userns_fd: a forked helper owns
// it while its maps are written, and is gone when this returns.
Result<Fd> make_idmap_namespace(const std::vector<spec::IdMapping>& uid,
                                const std::vector<spec::IdMapping>& gid);

// The rootfs (and what is mounted under it) as a detached clone idmapped with the container's
// own linux.uidMappings/gidMappings, so that its files keep their owners inside the user
// namespace (an image's root-owned files are the container root's). nullopt when the filesystem
// refuses idmapping (EINVAL, EOPNOTSUPP: an overlayfs mount on this kernel generation): then
// the rootfs is used as it is, and files owned outside the mapped range show as nobody.
Result<std::optional<Fd>> prepare_idmapped_rootfs(const spec::Spec& spec,
                                                  const std::string& rootfs);

}  // namespace burrow::linux
