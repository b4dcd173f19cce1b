// An OCI image layout: oci-layout, index.json, blobs/<alg>/<hex>. Every blob is checked against
// the digest (and size) its descriptor gives; the manifests are stored as they are, so an image
// keeps the digest it had in the layout.
#include <sys/stat.h>

#include "image/import_source.hpp"
#include "image/sha256.hpp"

namespace burrow::shim::image {
namespace {

constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
constexpr std::string_view kDockerList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr std::string_view kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

struct Descriptor {
  std::string media_type;
  std::string digest;
  uint64_t size = 0;
  nlohmann::json annotations = nlohmann::json::object();
  nlohmann::json platform;
};

Result<Descriptor> descriptor(const nlohmann::json& j, const std::string& where) {
  Descriptor d;
  try {
    d.media_type = j.value("mediaType", "");
    d.digest = j.at("digest").get<std::string>();
    d.size = j.at("size").get<uint64_t>();
    if (j.contains("annotations")) d.annotations = j["annotations"];
    if (j.contains("platform")) d.platform = j["platform"];
    if (j.contains("urls"))
      return Error::msg(where + ": " + d.digest + " is a foreign layer (has urls); not supported");
  } catch (const nlohmann::json::exception& e) {
    return Error::msg(where + ": " + e.what());
  }
  if (!is_sha256_digest(d.digest))
    return Error::msg(where + ": unsupported digest '" + d.digest + "' (only sha256 is)");
  return d;
}

std::string blob_rel(const std::string& digest) {
  return "blobs/sha256/" + digest_hex(digest);
}

// Stores the blob `d` describes, checking digest and size.
Status import_blob(const Store& store, const ImportSource& src, const Descriptor& d) {
  std::string rel = blob_rel(d.digest);
  BURROW_TRY(src.add_blob(store, rel, d.digest));
  struct stat st {};
  if (::stat(store.blob_path(d.digest).c_str(), &st) < 0)
    return Error::from_errno("stat blob " + d.digest);
  if (static_cast<uint64_t>(st.st_size) != d.size)
    return Error::msg("blob " + rel + ": size " + std::to_string(st.st_size) +
                      " but its descriptor says " + std::to_string(d.size));
  return {};
}

// Stores a JSON blob and returns it parsed.
Result<nlohmann::json> import_json_blob(const Store& store, const ImportSource& src,
                                        const Descriptor& d) {
  BURROW_TRY(import_blob(store, src, d));
  auto text = BURROW_TRY(store.read_blob(d.digest));
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return Error::msg(blob_rel(d.digest) + ": " + e.what());
  }
}

// The manifest of an image index for this machine: linux/<host arch>, or the only manifest.
Result<Descriptor> pick_platform(const nlohmann::json& index, const std::string& where) {
  std::vector<Descriptor> all;
  if (!index.contains("manifests") || !index["manifests"].is_array())
    return Error::msg(where + ": no manifests list");
  for (const auto& m : index["manifests"]) all.push_back(BURROW_TRY(descriptor(m, where)));
  std::string arch = host_architecture();
  for (const auto& d : all)
    if (d.platform.is_object() && d.platform.value("os", "") == "linux" &&
        d.platform.value("architecture", "") == arch)
      return d;
  if (all.size() == 1) return all.front();
  return Error::msg(where + ": no manifest for linux/" + arch);
}

Result<IndexEntry> import_manifest(const Store& store, const ImportSource& src, Descriptor d,
                                   int depth = 0) {
  if (d.media_type == kOciIndex || d.media_type == kDockerList) {
    if (depth > 2) return Error::msg(blob_rel(d.digest) + ": image indexes nested too deep");
    auto index = BURROW_TRY(import_json_blob(store, src, d));
    auto picked = BURROW_TRY(pick_platform(index, blob_rel(d.digest)));
    return import_manifest(store, src, picked, depth + 1);
  }
  if (!d.media_type.empty() && d.media_type != kOciManifest && d.media_type != kDockerManifest)
    return Error::msg(blob_rel(d.digest) + ": unsupported manifest type '" + d.media_type + "'");
  std::string where = blob_rel(d.digest);
  auto manifest = BURROW_TRY(import_json_blob(store, src, d));
  if (d.media_type.empty()) d.media_type = manifest.value("mediaType", std::string(kOciManifest));
  if (!manifest.contains("config") || !manifest.contains("layers") ||
      !manifest["layers"].is_array())
    return Error::msg(where + ": not an image manifest (no config or layers)");
  BURROW_TRY(import_blob(store, src, BURROW_TRY(descriptor(manifest["config"], where))));
  for (const auto& layer : manifest["layers"])
    BURROW_TRY(import_blob(store, src, BURROW_TRY(descriptor(layer, where))));
  IndexEntry entry;
  entry.digest = d.digest;
  entry.size = d.size;
  entry.media_type = d.media_type;
  return entry;
}

// The name an index entry gives its image: containerd's full-name annotation, else the OCI
// ref.name (skopeo writes "NAME:TAG" there; a bare word is taken as a name).
Result<std::string> entry_name(const Descriptor& d) {
  for (const char* key : {"io.containerd.image.name", "org.opencontainers.image.ref.name"}) {
    if (!d.annotations.is_object() || !d.annotations.contains(key)) continue;
    if (!d.annotations[key].is_string()) continue;
    return canonical_archive_name(d.annotations[key].get<std::string>(),
                                  std::string("index.json annotation ") + key);
  }
  return std::string();
}

}  // namespace

Result<std::vector<IndexEntry>> import_oci_layout(const Store& store, const ImportSource& src) {
  auto layout = BURROW_TRY(src.read_json("oci-layout", store.limits()));
  if (!layout.is_object() || !layout.contains("imageLayoutVersion"))
    return Error::msg("oci-layout: no imageLayoutVersion");
  auto index = BURROW_TRY(src.read_json("index.json", store.limits()));
  if (!index.is_object() || !index.contains("manifests") || !index["manifests"].is_array())
    return Error::msg("index.json: no manifests list");
  std::vector<IndexEntry> entries;
  for (const auto& m : index["manifests"]) {
    auto d = BURROW_TRY(descriptor(m, "index.json"));
    auto entry = BURROW_TRY(import_manifest(store, src, d));
    entry.name = BURROW_TRY(entry_name(d));
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace burrow::shim::image
