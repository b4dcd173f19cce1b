// Where burrow-shim finds its companions and keeps its data, unless options say otherwise.
#pragma once

#include <string>

namespace burrow::shim::cli {

// `name` next to this executable (the install layout), or in the build tree's layout
// (build/shim/burrow-shim -> build/runtime/burrow), or on PATH; "" when nowhere.
std::string companion(const std::string& name, const std::string& build_subdir);

// /var/lib/burrow/<what> for root; $XDG_DATA_HOME/burrow/<what> (~/.local/share) otherwise.
std::string default_data_dir(const std::string& what);

}  // namespace burrow::shim::cli
