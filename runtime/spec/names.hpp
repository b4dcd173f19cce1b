// Name <-> number tables for the kernel constants config.json spells by name: rlimits and
// capabilities. The parser resolves rlimits, validate checks capability names, and linux/ can use
// capability_number() when it builds the capability sets.
#pragma once

#include <optional>
#include <string_view>

namespace burrow::spec {

// "RLIMIT_NOFILE" -> RLIMIT_NOFILE; every Linux rlimit from RLIMIT_AS to RLIMIT_RTTIME.
std::optional<int> rlimit_resource(std::string_view name);

// "CAP_CHOWN" -> CAP_CHOWN (0) ... "CAP_CHECKPOINT_RESTORE" -> 40.
std::optional<int> capability_number(std::string_view name);
// The reverse lookups: RLIMIT_NOFILE -> "RLIMIT_NOFILE", 0 -> "CAP_CHOWN"; empty when unknown.
std::string_view rlimit_name(int resource);
std::string_view capability_name(int number);

}  // namespace burrow::spec
