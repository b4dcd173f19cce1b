// An image as the store holds it, and resolving a name to one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "image/store.hpp"

namespace burrow::shim::image {

// The fields of an image config that a container's process is made from (docker's subset;
// Healthcheck, Volumes, Labels, StopSignal... are not read).
struct ImageConfig {
  std::vector<std::string> entrypoint;  // null and [] both mean none
  std::vector<std::string> cmd;
  std::vector<std::string> env;  // "KEY=VALUE", in the image's order
  std::string working_dir;
  std::string user;                        // "uid", "name", "uid:gid", "name:group"... as written
  std::vector<std::string> exposed_ports;  // "80/tcp", "53/udp" (sorted, as JSON keys are)
  bool operator==(const ImageConfig&) const = default;
};

struct Layer {
  std::string digest;      // the blob's: names the stored (maybe compressed) tar
  std::string diff_id;     // the uncompressed tar's, from the config ("" when it has none)
  std::string media_type;  // as the manifest says
  uint64_t size = 0;
  bool operator==(const Layer&) const = default;
};

struct Image {
  std::string name;           // canonical, or the digest when resolved by digest
  std::string digest;         // the manifest's: the image's identity in the store
  std::vector<Layer> layers;  // bottom first, as in the manifest
  ImageConfig config;
};

// The image `name` (any form parse_reference takes, NAME@DIGEST, or a bare "sha256:..."
// manifest digest) names in `store`. Missing:
//   image 'NAME' not found in DIR (import it: burrow-shim image import FILE)
Result<Image> resolve(const Store& store, std::string_view name);

// The config fields above from an image config blob (OCI or docker; JSON text).
Result<ImageConfig> parse_image_config(std::string_view json);

}  // namespace burrow::shim::image
