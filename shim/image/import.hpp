// Putting images into the store. Every blob is hashed and checked against the digest that names
// it before anything refers to it; an image is named in index.json only once all its blobs are
// stored, so a failed import leaves at most unreferenced blobs behind.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"
#include "image/store.hpp"

namespace burrow::shim::image {

// Imports every image in `path`, which is one of:
//   - `docker save` output: manifest.json listing Config, RepoTags and Layers (`<id>/layer.tar`
//     or `blobs/sha256/<hex>`, plain or compressed). Layers are checked against the config's
//     rootfs.diff_ids, the config against its file name when that is its hash.
//   - an OCI image layout as a tar (e.g. `skopeo copy ... oci-archive:FILE:NAME:TAG`), or
//   - an OCI image layout directory. Names come from each index.json entry's
//     io.containerd.image.name or org.opencontainers.image.ref.name annotation (a ref.name with
//     neither "/" nor ":" is taken as a name too, e.g. "busybox" -> busybox:latest); index
//     entries that are image indexes contribute the manifest for this machine's platform.
// Tarballs may be compressed. Returns the canonical names given to the images, or an image's
// manifest digest when it came without a name.
Result<std::vector<std::string>> import_archive(const Store& store, const std::string& path);

// Registers the root file system in directory `dir` as image `name`: the tree is copied into one
// layer (an uncompressed tar blob), with an empty config (no entrypoint, cmd or env), so the
// image keeps working after `dir` changes or goes, and the copy-on-write rootfs treats it like
// any other image. Ownership, modes, xattrs and hard links are kept; the walk does not follow
// symlinks nor cross mount points. Returns the canonical name.
Result<std::string> add_rootfs_dir(const Store& store, const std::string& name,
                                   const std::string& dir);

}  // namespace burrow::shim::image
