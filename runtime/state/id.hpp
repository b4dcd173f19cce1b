// Container ids name directories under the state root, so they are checked before any path is
// built from them. The rule and the wording are runc's (1.1): letters, digits and "_+,-." only,
// and nothing that path cleaning would change ("." and "..").
#pragma once

#include <string>

#include "base/error.hpp"

namespace burrow::state {

// runc's texts, kept verbatim: containerd and podman match on them.
inline constexpr const char* kInvalidIdText = "invalid container ID format";
inline constexpr const char* kExistsText = "container with given ID already exists";
inline constexpr const char* kNotExistText = "container does not exist";

// Error::msg(kInvalidIdText) unless `id` is a valid container id.
Status validate_id(const std::string& id);

}  // namespace burrow::state
