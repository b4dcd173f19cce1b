// Typed reads from the YAML tree with GitLab's type rules (job/yaml_scalar): each failure is a
// one-line error naming the file, the key path and what was expected.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "job/yaml_tree.hpp"

namespace burrow::shim::job {

// GitLab's limit on nested lists in scripts (they come from anchors and !reference).
inline constexpr int kMaxScriptNesting = 10;

class ConfigReader {
 public:
  explicit ConfigReader(std::string file_name) : file_name_(std::move(file_name)) {}

  const std::string& file_name() const { return file_name_; }
  Error error(const std::string& path, const std::string& reason) const {
    return config_error(file_name_, path, reason);
  }

  // A string (quoted, or unquoted text that YAML does not type as a number, boolean...).
  Result<std::string> string(const Node& node, const std::string& path) const;
  Result<std::vector<std::string>> string_list(const Node& node, const std::string& path) const;
  // A YAML boolean (true/false, yes/no, on/off in any case).
  Result<bool> boolean(const Node& node, const std::string& path) const;
  // A variable value: any scalar, as Ruby's to_s prints what Psych loaded (010 -> "8").
  Result<std::string> scalar_value(const Node& node, const std::string& path) const;
  // script, before_script, after_script: a string, or a list whose items are strings or lists
  // of them (nested up to 10 levels), flattened into one command per entry.
  Result<std::vector<std::string>> commands(const Node& node, const std::string& path) const;
  Result<const Node*> mapping(const Node& node, const std::string& path) const;
  // Fails naming every key of `map` that is not in `allowed`.
  Status known_keys(const Node& map, const std::string& path,
                    const std::set<std::string>& allowed) const;

 private:
  Status flatten(const Node& node, const std::string& path, int depth,
                 std::vector<std::string>& out) const;

  std::string file_name_;
};

}  // namespace burrow::shim::job
