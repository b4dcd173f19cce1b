#include "job/image.hpp"

#include <algorithm>

#include "job/keywords.hpp"

namespace burrow::shim::job {
namespace {

// `entrypoint: [""]` is GitLab's way to say "no entrypoint"; `[]` sends nothing to the
// container engine, so the image's own stays.
Result<std::optional<std::vector<std::string>>> read_entrypoint(const ConfigReader& reader,
                                                                const Node& node,
                                                                const std::string& path) {
  std::vector<std::string> entrypoint = BURROW_TRY(reader.string_list(node, path));
  if (entrypoint.empty()) return std::optional<std::vector<std::string>>();
  if (entrypoint == std::vector<std::string>{""}) entrypoint.clear();
  return std::optional<std::vector<std::string>>(entrypoint);
}

// The parts an image map and a service map share: name, entrypoint, and what is ignored.
Status read_image_keys(const ConfigReader& reader, const Node& map, const std::string& path,
                       const std::string& keyword, ImageSpec& image, IgnoredKeys& ignored) {
  const Node* name = map.find("name");
  if (!name || name->is_null()) return reader.error(path_key(path, "name"), "missing");
  image.name = BURROW_TRY(reader.string(*name, path_key(path, "name")));
  if (const Node* entrypoint = map.find("entrypoint"); entrypoint && !entrypoint->is_null()) {
    image.entrypoint =
        BURROW_TRY(read_entrypoint(reader, *entrypoint, path_key(path, "entrypoint")));
  }
  for (const char* key : {"ports", "pull_policy", "docker", "kubernetes"}) {
    if (map.find(key)) add_once(ignored, keyword + ":" + key);
  }
  return {};
}

Result<ServiceConfig> read_service(const ConfigReader& reader, const Node& node,
                                   const std::string& path, IgnoredKeys& ignored) {
  ServiceConfig service;
  if (node.kind == Node::Kind::scalar) {
    service.image.name = BURROW_TRY(reader.string(node, path));
  } else if (node.is_mapping()) {
    BURROW_TRY(reader.known_keys(node, path, service_keywords()));
    BURROW_TRY(read_image_keys(reader, node, path, "services", service.image, ignored));
    if (const Node* alias = node.find("alias"); alias && !alias->is_null()) {
      service.alias = BURROW_TRY(reader.string(*alias, path_key(path, "alias")));
    }
    if (const Node* command = node.find("command"); command && !command->is_null()) {
      service.command = BURROW_TRY(reader.string_list(*command, path_key(path, "command")));
    }
    if (const Node* variables = node.find("variables"); variables && !variables->is_null()) {
      std::string variables_path = path_key(path, "variables");
      BURROW_TRY(reader.mapping(*variables, variables_path));
      for (const auto& [key, value] : variables->entries) {
        // A service's variables take plain values only (no value:/expand: map), as in GitLab.
        service.variables.push_back(
            {key, BURROW_TRY(reader.scalar_value(value, path_key(variables_path, key)))});
      }
    }
    if (const Node* profile = node.find("profile"); profile && !profile->is_null()) {
      service.profile = BURROW_TRY(reader.string(*profile, path_key(path, "profile")));
      if (service.profile != "" && service.profile != "dind") {
        return reader.error(path_key(path, "profile"),
                            "expected \"\" or \"dind\", got \"" + service.profile + "\"");
      }
    }
  } else {
    return reader.error(path, "expected an image name or a map, got " + describe(node));
  }
  if (service.image.name.empty()) return reader.error(path, "empty image name");
  return service;
}

}  // namespace

void add_once(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

Result<ImageSpec> read_image(const ConfigReader& reader, const Node& node, const std::string& path,
                             IgnoredKeys& ignored) {
  ImageSpec image;
  if (node.kind == Node::Kind::scalar) {
    image.name = BURROW_TRY(reader.string(node, path));
  } else if (node.is_mapping()) {
    BURROW_TRY(reader.known_keys(node, path, image_keywords()));
    BURROW_TRY(read_image_keys(reader, node, path, "image", image, ignored));
  } else {
    return reader.error(path, "expected an image name or a map, got " + describe(node));
  }
  if (image.name.empty()) return reader.error(path, "empty image name");
  return image;
}

Result<std::vector<ServiceConfig>> read_services(const ConfigReader& reader, const Node& node,
                                                 const std::string& path, IgnoredKeys& ignored) {
  if (!node.is_sequence()) return reader.error(path, "expected a list, got " + describe(node));
  std::vector<ServiceConfig> services;
  for (size_t i = 0; i < node.items.size(); ++i) {
    services.push_back(
        BURROW_TRY(read_service(reader, node.items[i], path_index(path, i), ignored)));
  }
  return services;
}

}  // namespace burrow::shim::job
