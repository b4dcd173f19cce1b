// Readers for the keywords that are more than a string or a list: `variables:`, `timeout:`,
// `stages:`. Shared by the top level, `default:` and jobs.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "job/config_reader.hpp"
#include "job/variables.hpp"

namespace burrow::shim::job {

// GitLab caps `timeout:` below one (Rails) month: 30.436875 days.
inline constexpr std::chrono::seconds kTimeoutLimit{2629746};

enum class VariablesScope { top_level, job };

// `variables:` — NAME: value (string, number or boolean, as Ruby prints it), or NAME: {value:,
// expand:} (`expand: false` makes it raw); the top level also allows description: and
// options: (a list that must contain the value). Null is no variables.
Result<PendingVariables> read_variables(const ConfigReader& reader, const Node& node,
                                        const std::string& path, VariablesScope scope);

// `timeout:` — a string GitLab's duration parser accepts (job/duration), shorter than its
// limit; whole seconds (fractions dropped). An unquoted number is not a string to GitLab.
Result<std::chrono::seconds> read_timeout(const ConfigReader& reader, const Node& node,
                                          const std::string& path);

// `stages:` with GitLab's additions: .pre first, .post last. Null gives the default list
// (build, test, deploy). Nested lists (from !reference or anchors) are flattened.
Result<std::vector<std::string>> read_stages(const ConfigReader& reader, const Node* node);

}  // namespace burrow::shim::job
