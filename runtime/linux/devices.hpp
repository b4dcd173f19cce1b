// Device nodes and /dev symlinks of the container. Planning (which nodes, which links) is pure;
// creation goes through fds resolved inside the rootfs (mknodat relative to a directory fd
// opened with RESOLVE_IN_ROOT), or, in a user namespace where mknod is refused, by bind-mounting
// the host's node onto an empty file.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "spec/model.hpp"

namespace burrow::linux {

struct DeviceNode {
  std::string path;  // inside the container, clean: "/dev/null"
  mode_t type = 0;   // S_IFCHR, S_IFBLK or S_IFIFO
  uint32_t major = 0;
  uint32_t minor = 0;
  mode_t mode = 0666;  // permission bits
  uid_t uid = 0;
  gid_t gid = 0;
  bool operator==(const DeviceNode&) const = default;
};

struct DevSymlink {
  std::string path;    // "/dev/fd"
  std::string target;  // "/proc/self/fd"
  bool operator==(const DevSymlink&) const = default;
};

// null 1:3, zero 1:5, full 1:7, random 1:8, urandom 1:9, tty 5:0; 0666, root-owned.
std::vector<DeviceNode> default_devices();
// The defaults (when `with_defaults`) followed by the spec's devices; a spec device whose path
// equals a default's replaces it in place. Errors on an unknown type or a relative path.
Result<std::vector<DeviceNode>> plan_devices(const std::vector<spec::Device>& devices,
                                             bool with_defaults);
// /dev/fd, /dev/stdin|stdout|stderr, /dev/core (skipped at creation when the host has no
// /proc/kcore), and /dev/ptmx -> pts/ptmx when `devpts_at_dev_pts`.
std::vector<DevSymlink> default_dev_symlinks(bool devpts_at_dev_pts);

// Creates each node (replacing a non-directory already there), refusing a path with a symlink
// on the way. `bind_from_host`: bind the host's node at the same path instead of mknod (user
// namespaces).
Status create_devices(int root_fd, const std::vector<DeviceNode>& devices, bool bind_from_host);
Status create_dev_symlinks(int root_fd, const std::vector<DevSymlink>& links);

}  // namespace burrow::linux
