// Security profiles (profiles/*.json, compiled into the binary): each is a partial config.json
// -- capabilities, noNewPrivileges, namespaces, masked and read-only paths, sysctls and a seccomp
// filter -- laid over `burrow spec`'s default config. profiles/README.md says what each blocks
// and why.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.hpp"

namespace burrow::spec {

struct EmbeddedProfile {
  const char* name;  // the file name without .json
  const char* json;
};
extern const EmbeddedProfile kEmbeddedProfiles[];
extern const size_t kEmbeddedProfileCount;

std::vector<std::string> profile_names();

// The profile's document; an unknown name is an error listing the known ones.
Result<nlohmann::json> load_profile(std::string_view name);

// `config` with the profile laid over it (JSON merge patch, RFC 7386: objects merge, arrays and
// values replace).
Result<nlohmann::json> apply_profile(nlohmann::json config, std::string_view name);

}  // namespace burrow::spec
