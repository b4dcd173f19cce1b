// A container's root filesystem from an image: a copy-on-write mount over the cached layers,
// made writable for the pod's root, and what the image says about running in it (the user, the
// job's shell) read from the mounted tree without following its symlinks out of it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "image/idmapped_layers.hpp"
#include "image/rootfs.hpp"
#include "pod/id_range.hpp"

namespace burrow::shim::run {

// Mounts the layers at `<container_dir>/rootfs` (upper and work dirs beside it) and gives its
// root directory to the pod's root. With `idmap_userns_fd` (the pod's user namespace), the
// layers, unpacked with the image's own ids, are seen through idmapped mounts of them.
Result<image::Rootfs> mount_container_rootfs(const std::vector<std::string>& layers,
                                             const std::string& container_dir,
                                             const pod::IdRange& ids, int idmap_userns_fd = -1);

// The job's shell in `rootfs`, as GitLab's detection picks it: bash where the image has it,
// else sh. Empty when there is neither.
std::string find_shell(const std::string& rootfs);

struct ImageUser {
  uint32_t uid = 0;
  uint32_t gid = 0;
};
// The image config's `User` ("", "uid", "name", "uid:gid", "name:group"...), names looked up in
// the rootfs's /etc/passwd and /etc/group. A name that is not there is an error naming it.
Result<ImageUser> resolve_image_user(const std::string& rootfs, const std::string& user);

}  // namespace burrow::shim::run
