// The layer cache: each layer of an image unpacked once into a directory of the store that is
// ready to be an overlayfs lowerdir, and never written again (the copy-on-write rootfs mounts it
// read-only below a per-container upperdir; see rootfs.hpp).
//
// Key: layers/<hex>-<uid base>-<gid base>-<size>[-user]/ — the same layer unpacked for another
// id shift is another directory, since ownership is baked into the files. "-user" marks a layer
// unpacked by an unprivileged caller (see Privilege below), whose files carry neither ownership
// nor trusted.* xattrs and whose opaque directories are marked with user.overlay.opaque.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "image/image.hpp"
#include "image/store.hpp"

namespace burrow::shim::image {

// Container id U is host id base+U for U < size. size 0 is the identity (rootful, no user
// namespace): ids are kept as the layer has them.
struct IdShift {
  uint32_t uid_base = 0;
  uint32_t gid_base = 0;
  uint32_t size = 0;
  bool identity() const { return size == 0; }
  bool operator==(const IdShift&) const = default;
};

// What the caller may do to the files it unpacks.
enum class Privilege {
  // Real root (uid 0 in the initial user namespace): chown to any id, device nodes,
  // trusted.overlay.opaque for kernel overlayfs.
  kHostRoot,
  // Anyone else: files stay owned by the caller (a rootless container maps the caller to its
  // root), device nodes are skipped (rootless runtimes bind them from the host), opaque
  // directories get user.overlay.opaque (overlayfs's `userxattr` form, for a mount in a user
  // namespace), xattrs the caller may not set are dropped. Whiteouts are still 0:0 character
  // devices, which Linux lets anyone create since 5.8.
  kUnprivileged,
};

// kHostRoot when the caller is uid 0 in the initial user namespace.
Privilege current_privilege();

std::string layer_cache_key(const std::string& digest, const IdShift& shift, Privilege privilege);

// Unpacks each layer of `image` into the cache (once; concurrent callers wait for the one doing
// it) and returns the layer directories, bottom layer first. The layer blob is re-hashed while
// it is unpacked: a damaged store gives an error, never a wrong rootfs.
Result<std::vector<std::string>> unpack_layers(const Store& store, const Image& image,
                                               IdShift shift);

// Unpacks the layer tar at `blob` (any compression) into the existing empty directory `dir`:
// ownership shifted by `shift`, modes, times, xattrs and file capabilities kept (a v2 capability
// becomes v3 with the shift's root id, so it only works inside the container's namespace),
// hard links, device nodes (when permitted), OCI whiteouts converted to overlayfs ones
// (.wh.NAME -> 0:0 character device NAME; .wh..wh..opq -> opaque xattr on the directory).
// Entries leaving `dir`, overlay xattrs in the tar, ids outside the shift, and layers beyond
// the limits are refused, naming the entry. When `expected_digest` is not empty, the blob's
// bytes must hash to it.
Status unpack_layer(const std::string& blob, const std::string& dir, const IdShift& shift,
                    Privilege privilege, const Limits& limits,
                    const std::string& expected_digest = "");

// The xattr marking an opaque directory for the given privilege.
const char* opaque_xattr(Privilege privilege);

}  // namespace burrow::shim::image
