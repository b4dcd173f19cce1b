// Layers seen through an id mapping: each cached layer dir (unpacked once, with the image's own
// ids) cloned as a detached mount, idmapped with a user namespace (on-disk id u is seen as the
// namespace's host id of u), and attached under the container's scratch dir to serve as an
// overlayfs lowerdir. One unpacked copy of an image then serves every job's id range, where a
// shifted unpack needs a copy per range. Needs CAP_SYS_ADMIN and a file system and kernel that
// support idmapped mounts (and overlayfs over idmapped layers: Linux 5.19).
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"

namespace burrow::shim::image {

class IdmappedLayers {
 public:
  // Attaches `layers` (bottom first) idmapped by `userns_fd` under `dir`/0, /1, ... .
  static Result<IdmappedLayers> attach(const std::vector<std::string>& layers,
                                       const std::string& dir, int userns_fd);
  IdmappedLayers(IdmappedLayers&& other) noexcept;
  IdmappedLayers& operator=(IdmappedLayers&&) = delete;
  IdmappedLayers(const IdmappedLayers&) = delete;
  ~IdmappedLayers();

  const std::vector<std::string>& paths() const { return paths_; }
  // Detaches the mounts and removes their dirs (a mounted overlay keeps its own references to
  // them). Idempotent.
  Status release();

 private:
  explicit IdmappedLayers(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
  std::vector<std::string> paths_;
};

}  // namespace burrow::shim::image
