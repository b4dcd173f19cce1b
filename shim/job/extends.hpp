// `extends:`, applied the way GitLab applies it: before !reference tags are resolved and before
// any keyword is read, to every top-level map that has the key (jobs, hidden templates, any
// other), each parent itself extended first; parents deep-merge in list order (later wins) and
// the entry's own keys win over all of them. Maps merge key by key; lists and scalars replace.
#pragma once

#include <string>

#include "base/error.hpp"
#include "job/yaml_tree.hpp"

namespace burrow::shim::job {

// GitLab's limit: an entry plus 11 levels of parents.
inline constexpr size_t kMaxExtendsDepth = 11;

Status apply_extends(Node& root, const std::string& file_name);

}  // namespace burrow::shim::job
