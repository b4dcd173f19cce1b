// process.rlimits: the RLIMIT_* names of the runtime-spec and applying them to the calling
// process (the container init, so the container's process inherits them across execve).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "spec/model.hpp"

namespace burrow::linux {

// "RLIMIT_NOFILE" -> RLIMIT_NOFILE; nullopt for a name Linux does not have.
std::optional<int> rlimit_from_name(std::string_view name);
// RLIMIT_NOFILE -> "RLIMIT_NOFILE"; "" for an unknown resource.
std::string_view rlimit_name(int resource);

// setrlimit for each entry, in order. The resource is entry.resource when the parser resolved it,
// else looked up from entry.type. Raising a hard limit needs CAP_SYS_RESOURCE.
Status apply_rlimits(const std::vector<spec::Rlimit>& rlimits);

}  // namespace burrow::linux
