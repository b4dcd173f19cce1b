// `!reference [name, key, ...]`: replaced by a copy of the node at that path, as GitLab does
// after `extends` is applied (so a reference sees a template's inherited keys). A referenced
// node may itself hold references; they resolve in turn, up to GitLab's documented 10 levels.
// The copy is inserted as one node: a referenced list inside a script list nests, and the
// script reader flattens it.
#pragma once

#include <string>

#include "base/error.hpp"
#include "job/yaml_tree.hpp"

namespace burrow::shim::job {

inline constexpr size_t kMaxReferenceDepth = 10;

// Resolves every !reference in the file (GitLab rejects a file with any broken one).
Status resolve_references(Node& root, const std::string& file_name);

}  // namespace burrow::shim::job
