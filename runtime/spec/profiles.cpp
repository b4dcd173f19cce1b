#include "spec/profiles.hpp"

namespace burrow::spec {

std::vector<std::string> profile_names() {
  std::vector<std::string> names;
  for (size_t i = 0; i < kEmbeddedProfileCount; ++i) names.emplace_back(kEmbeddedProfiles[i].name);
  return names;
}

Result<nlohmann::json> load_profile(std::string_view name) {
  for (size_t i = 0; i < kEmbeddedProfileCount; ++i) {
    if (name != kEmbeddedProfiles[i].name) continue;
    auto document = nlohmann::json::parse(kEmbeddedProfiles[i].json, nullptr, false);
    if (document.is_discarded() || !document.is_object())
      return Error::msg("profile " + std::string(name) + ": invalid JSON");
    return document;
  }
  std::string known;
  for (const auto& n : profile_names()) known += (known.empty() ? "" : ", ") + n;
  return Error::msg("unknown profile \"" + std::string(name) + "\" (known: " + known + ")");
}

Result<nlohmann::json> apply_profile(nlohmann::json config, std::string_view name) {
  nlohmann::json profile = BURROW_TRY(load_profile(name));
  config.merge_patch(profile);
  return config;
}

}  // namespace burrow::spec
