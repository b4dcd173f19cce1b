// `burrow features`: what burrow implements, as the runtime-spec's features document (runc's
// JSON shape and key order). Lists come from the tables the code itself uses (spec/known_names,
// spec/names, seccomp/seccomp_features), so the report cannot claim what create refuses.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace burrow::container {

// What only the running host can tell.
struct HostFeatures {
  std::vector<std::string> seccomp_supported_flags;  // accepted by this kernel
  std::string libseccomp_version;                    // "2.5.4"
};

HostFeatures probe_host_features();
nlohmann::ordered_json features_document(const HostFeatures& host);

}  // namespace burrow::container
