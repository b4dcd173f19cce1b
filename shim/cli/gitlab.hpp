// `burrow-shim gitlab config|prepare|run SCRIPT STAGE|cleanup [options]`: the argv side of GitLab
// Runner's custom executor driver (shim/gitlab). The runner puts config.toml's *_args before
// its own arguments (run: SCRIPT STAGE last), so options come first and the operands last.
#pragma once

#include <string>
#include <vector>

namespace burrow::shim::cli {

int gitlab_command(const std::vector<std::string>& args, const std::string& version);

}  // namespace burrow::shim::cli
