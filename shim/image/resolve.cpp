#include <nlohmann/json.hpp>

#include "image/image.hpp"
#include "image/reference.hpp"
#include "image/sha256.hpp"

namespace burrow::shim::image {
namespace {

// A JSON list of strings, or null/absent -> empty.
std::vector<std::string> strings(const nlohmann::json& obj, const char* key) {
  std::vector<std::string> out;
  if (!obj.contains(key) || !obj[key].is_array()) return out;
  for (const auto& s : obj[key])
    if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

std::string string_field(const nlohmann::json& obj, const char* key) {
  if (!obj.contains(key) || !obj[key].is_string()) return "";
  return obj[key].get<std::string>();
}

Error not_found(std::string_view name, const Store& store) {
  return Error::msg("image '" + std::string(name) + "' not found in " + store.root() +
                    " (import it: burrow-shim image import FILE)");
}

}  // namespace

Result<ImageConfig> parse_image_config(std::string_view json) {
  ImageConfig config;
  try {
    auto doc = nlohmann::json::parse(json);
    if (!doc.is_object()) return Error::msg("image config: not an object");
    // OCI and docker both keep the process fields under "config"; it may be absent or null.
    if (!doc.contains("config") || !doc["config"].is_object()) return config;
    const auto& c = doc["config"];
    config.entrypoint = strings(c, "Entrypoint");
    config.cmd = strings(c, "Cmd");
    config.env = strings(c, "Env");
    config.working_dir = string_field(c, "WorkingDir");
    config.user = string_field(c, "User");
    if (c.contains("ExposedPorts") && c["ExposedPorts"].is_object())
      for (const auto& [port, unused] : c["ExposedPorts"].items())
        config.exposed_ports.push_back(port.find('/') == std::string::npos ? port + "/tcp" : port);
  } catch (const nlohmann::json::exception& e) {
    return Error::msg(std::string("image config: ") + e.what());
  }
  return config;
}

Result<Image> resolve(const Store& store, std::string_view name) {
  Image image;
  if (is_sha256_digest(name)) {
    image.name = std::string(name);
    image.digest = std::string(name);
  } else {
    auto ref = BURROW_TRY(parse_reference(name));
    image.name = ref.canonical();
    if (!ref.digest.empty()) {
      image.digest = ref.digest;
    } else {
      auto found = BURROW_TRY(store.lookup(image.name));
      if (!found) return not_found(name, store);
      image.digest = *found;
    }
  }
  if (!store.has_blob(image.digest)) return not_found(name, store);
  std::string where = "image '" + std::string(name) + "'";
  auto manifest_text = BURROW_TRY_CTX(store.read_blob(image.digest), where);
  std::string config_digest;
  try {
    auto manifest = nlohmann::json::parse(manifest_text);
    config_digest = manifest.at("config").at("digest").get<std::string>();
    for (const auto& l : manifest.at("layers")) {
      Layer layer;
      layer.digest = l.at("digest").get<std::string>();
      layer.media_type = l.value("mediaType", "");
      layer.size = l.value("size", uint64_t{0});
      image.layers.push_back(std::move(layer));
    }
  } catch (const nlohmann::json::exception& e) {
    return Error::msg(where + ": manifest " + image.digest + ": " + e.what());
  }
  auto config_text = BURROW_TRY_CTX(store.read_blob(config_digest), where);
  image.config = BURROW_TRY_CTX(parse_image_config(config_text), where);
  try {
    auto config = nlohmann::json::parse(config_text);
    if (config.contains("rootfs") && config["rootfs"].contains("diff_ids")) {
      auto diff_ids = config["rootfs"]["diff_ids"].get<std::vector<std::string>>();
      if (diff_ids.size() == image.layers.size())
        for (size_t i = 0; i < diff_ids.size(); ++i) image.layers[i].diff_id = diff_ids[i];
    }
  } catch (const nlohmann::json::exception& e) {
    return Error::msg(where + ": config rootfs.diff_ids: " + e.what());
  }
  return image;
}

}  // namespace burrow::shim::image
