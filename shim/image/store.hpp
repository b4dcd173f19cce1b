// The local image store: an OCI image layout (so skopeo and umoci can read it as
// `oci:DIR:NAME`) plus burrow's caches, under one root directory:
//
//   oci-layout               {"imageLayoutVersion":"1.0.0"}
//   index.json               OCI index; each image's entry names it by the annotation
//                            org.opencontainers.image.ref.name = "docker.io/library/busybox:latest"
//   blobs/sha256/<hex>       manifests, configs and layers, read-only, named by their content
//   layers/<key>/            unpacked layers (layer_unpack.hpp), never written after creation
//   tmp/                     imports and unpacks in progress (renamed into place when whole)
//   lock                     flock: held exclusively while index.json is rewritten
//   locks/<key>              flock per layer being unpacked, so concurrent jobs unpack it once
//
// Blobs and layer directories appear by rename(2), whole or not at all, so readers never take
// the lock; only writers of index.json serialise on it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"

namespace burrow::shim::image {

// Bounds on what an archive or layer may make the store do; an archive exceeding one is refused
// (a compressed layer can expand a thousandfold).
struct Limits {
  uint64_t max_json_bytes = 16ull << 20;     // a manifest, config, index.json
  uint64_t max_archive_bytes = 64ull << 30;  // everything one import archive unpacks to
  uint64_t max_layer_bytes = 64ull << 30;    // everything one layer unpacks to
  uint64_t max_entries = 2'000'000;          // entries in one archive or layer
};

// One name -> manifest entry of index.json. Images imported without any name have an entry
// with an empty name (kept so that they stay reachable by digest).
struct IndexEntry {
  std::string name;    // canonical ("docker.io/library/busybox:latest") or ""
  std::string digest;  // the manifest's
  uint64_t size = 0;   // the manifest's
  // The manifest's media type (OCI's, or Docker's schema 2 for layouts that carried one).
  std::string media_type = "application/vnd.oci.image.manifest.v1+json";
  bool operator==(const IndexEntry&) const = default;
};

// An exclusive flock on a file, released (closed) on destruction.
class FileLock {
 public:
  static Result<FileLock> acquire(const std::string& path);

 private:
  explicit FileLock(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;
};

// The store a caller uses when not told (--images): /var/lib/burrow/images for root,
// $XDG_DATA_HOME/burrow/images (default ~/.local/share/burrow/images) for anyone else, so an
// unprivileged user's images never mix with root's (their layers are unpacked differently).
std::string default_store_dir();

class Store {
 public:
  // Opens the store at `root`, creating its layout when missing.
  static Result<Store> open(const std::string& root, Limits limits = {});

  const std::string& root() const { return root_; }
  const Limits& limits() const { return limits_; }
  std::string blob_path(std::string_view digest) const;  // digest must be valid
  std::string tmp_dir() const { return root_ + "/tmp"; }
  std::string layers_dir() const { return root_ + "/layers"; }
  std::string locks_dir() const { return root_ + "/locks"; }

  bool has_blob(std::string_view digest) const;
  // A small blob (JSON), re-hashed on read: a store damaged on disk is an error, never an image.
  Result<std::string> read_blob(std::string_view digest) const;
  // Stores `data`; returns its digest.
  Result<std::string> add_blob(std::string_view data) const;
  // Stores what `fd` (a regular file, read from its start) holds, hashing it as it is read.
  // `expected` (when not empty) must be its digest, else the error names `what`. With `link_in`
  // the file itself, which must be on the store's file system and private to the caller (under
  // tmp/), becomes the blob by a hard link instead of being copied.
  Result<std::string> add_blob_fd(int fd, std::string_view expected, const std::string& what,
                                  bool link_in) const;

  Result<std::vector<IndexEntry>> list() const;
  // The manifest digest `canonical_name` refers to, if any.
  Result<std::optional<std::string>> lookup(const std::string& canonical_name) const;
  // Points each entry's name at its manifest (replacing what the name pointed at), under the
  // lock. Entries with an empty name are kept once per digest.
  Status add_index_entries(const std::vector<IndexEntry>& entries) const;

 private:
  Store(std::string root, Limits limits) : root_(std::move(root)), limits_(limits) {}
  Result<std::vector<IndexEntry>> read_index() const;
  Status write_index(const std::vector<IndexEntry>& entries) const;

  std::string root_;
  Limits limits_;
};

}  // namespace burrow::shim::image
