// The text `burrow ps` prints, from the container's pids (pure, unit-tested).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/error.hpp"

namespace burrow::container {

// "[12,34]", or "null" for none (runc's Go encoder writes an empty list as null).
std::string pids_json(const std::vector<pid_t>& pids);

// The header of `ps` output and its rows whose PID column is one of `pids`, each line ending in
// a newline. runc's errors: "couldn't find PID field in ps output", "unable to parse pid: X".
Result<std::string> filter_ps_rows(const std::string& ps_output, const std::vector<pid_t>& pids);

}  // namespace burrow::container
