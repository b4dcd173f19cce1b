// `docker save` output: manifest.json is a list of
//   {"Config": "<hex>.json" | "blobs/sha256/<hex>", "RepoTags": ["name:tag"...],
//    "Layers": ["<id>/layer.tar" | "blobs/sha256/<hex>", ...]}
// Layer file names are not always digests, so layers are checked against the config's
// rootfs.diff_ids (the uncompressed tars' digests), and the config against its name when that is
// a hash. The store keeps an OCI manifest made for the image, which becomes its identity.
#include <unistd.h>

#include "image/import_source.hpp"
#include "image/sha256.hpp"

namespace burrow::shim::image {
namespace {

// "<hex>.json" or "blobs/sha256/<hex>" -> "sha256:<hex>"; anything else -> "".
std::string digest_in_name(const std::string& rel) {
  std::string base = rel.substr(rel.rfind('/') + 1);
  if (base.size() == 64 + 5 && base.ends_with(".json")) base.resize(64);
  std::string digest = "sha256:" + base;
  return is_sha256_digest(digest) ? digest : "";
}

struct StoredLayer {
  std::string digest;
  std::string media_type;
  uint64_t size = 0;
};

Result<StoredLayer> import_layer(const Store& store, const ImportSource& src,
                                 const std::string& rel, const std::string& diff_id) {
  auto fd = BURROW_TRY(src.open(rel));
  StoredLayer layer;
  layer.media_type = BURROW_TRY(sniff_layer_media_type(fd.get(), rel));
  off_t size = ::lseek(fd.get(), 0, SEEK_END);
  if (size < 0 || ::lseek(fd.get(), 0, SEEK_SET) < 0) return Error::from_errno("seek " + rel);
  layer.size = static_cast<uint64_t>(size);
  layer.digest =
      BURROW_TRY(store.add_blob_fd(fd.get(), digest_in_name(rel), rel, src.private_copy));
  std::string actual = layer.digest;
  if (!layer.media_type.ends_with(".tar")) actual = BURROW_TRY(diff_id_of(fd.get(), rel));
  if (actual != diff_id)
    return Error::msg("blob " + rel + ": digest mismatch: the config's diff_id is " + diff_id +
                      ", content is " + actual);
  return layer;
}

Result<IndexEntry> import_image(const Store& store, const ImportSource& src,
                                const nlohmann::json& item, size_t n) {
  std::string where = "manifest.json[" + std::to_string(n) + "]";
  std::string config_rel;
  std::vector<std::string> layer_rels;
  try {
    config_rel = item.at("Config").get<std::string>();
    layer_rels = item.at("Layers").get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    return Error::msg(where + ": " + e.what());
  }
  std::string config_digest =
      BURROW_TRY(src.add_blob(store, config_rel, digest_in_name(config_rel)));
  auto config_text = BURROW_TRY(store.read_blob(config_digest));
  std::vector<std::string> diff_ids;
  try {
    diff_ids = nlohmann::json::parse(config_text)
                   .at("rootfs")
                   .at("diff_ids")
                   .get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    return Error::msg(config_rel + ": rootfs.diff_ids: " + e.what());
  }
  if (diff_ids.size() != layer_rels.size())
    return Error::msg(where + ": " + std::to_string(layer_rels.size()) + " layers but the config " +
                      config_rel + " lists " + std::to_string(diff_ids.size()) + " diff_ids");
  nlohmann::json layers = nlohmann::json::array();
  for (size_t i = 0; i < layer_rels.size(); ++i) {
    auto layer = BURROW_TRY(import_layer(store, src, layer_rels[i], diff_ids[i]));
    layers.push_back(
        {{"mediaType", layer.media_type}, {"digest", layer.digest}, {"size", layer.size}});
  }
  nlohmann::json manifest = {{"schemaVersion", 2},
                             {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                             {"config",
                              {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                               {"digest", config_digest},
                               {"size", config_text.size()}}},
                             {"layers", std::move(layers)}};
  std::string manifest_text = manifest.dump();
  IndexEntry entry;
  entry.digest = BURROW_TRY(store.add_blob(manifest_text));
  entry.size = manifest_text.size();
  return entry;
}

}  // namespace

Result<std::vector<IndexEntry>> import_docker_archive(const Store& store, const ImportSource& src) {
  auto doc = BURROW_TRY(src.read_json("manifest.json", store.limits()));
  if (!doc.is_array()) return Error::msg("manifest.json: not a list");
  std::vector<IndexEntry> entries;
  for (size_t n = 0; n < doc.size(); ++n) {
    const auto& item = doc[n];
    if (!item.is_object())
      return Error::msg("manifest.json[" + std::to_string(n) + "]: not an object");
    auto entry = BURROW_TRY(import_image(store, src, item, n));
    std::vector<std::string> tags;
    if (item.contains("RepoTags") && item["RepoTags"].is_array())
      for (const auto& tag : item["RepoTags"])
        if (tag.is_string()) tags.push_back(tag.get<std::string>());
    if (tags.empty()) entries.push_back(entry);
    for (const auto& tag : tags) {
      entry.name = BURROW_TRY(canonical_archive_name(tag, "manifest.json RepoTags"));
      entries.push_back(entry);
    }
  }
  return entries;
}

}  // namespace burrow::shim::image
