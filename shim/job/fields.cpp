#include "job/fields.hpp"

#include <algorithm>
#include <cmath>

#include "job/duration.hpp"

namespace burrow::shim::job {
namespace {

Result<PendingVariable> read_variable(const ConfigReader& reader, const std::string& key,
                                      const Node& node, const std::string& path,
                                      VariablesScope scope) {
  if (node.kind == Node::Kind::scalar) {
    return PendingVariable{key, BURROW_TRY(reader.scalar_value(node, path))};
  }
  if (!node.is_mapping()) {
    return reader.error(
        path, "expected a string, number, boolean or a map with value:, got " + describe(node));
  }
  if (scope == VariablesScope::job) {
    BURROW_TRY(reader.known_keys(node, path, {"value", "expand"}));
  } else {
    BURROW_TRY(reader.known_keys(node, path, {"value", "description", "expand", "options"}));
  }
  PendingVariable variable{key, ""};
  if (const Node* value = node.find("value"); value && !value->is_null()) {
    variable.value = BURROW_TRY(reader.scalar_value(*value, path_key(path, "value")));
  }
  if (const Node* expand = node.find("expand"); expand && !expand->is_null()) {
    variable.raw = !BURROW_TRY(reader.boolean(*expand, path_key(path, "expand")));
  }
  if (const Node* description = node.find("description"); description && !description->is_null()) {
    BURROW_TRY(reader.scalar_value(*description, path_key(path, "description")));
  }
  if (const Node* options = node.find("options"); options && !options->is_null()) {
    std::vector<std::string> choices =
        BURROW_TRY(reader.string_list(*options, path_key(path, "options")));
    if (std::find(choices.begin(), choices.end(), variable.value) == choices.end()) {
      return reader.error(path, "value \"" + variable.value + "\" is not one of its options");
    }
  }
  return variable;
}

}  // namespace

Result<PendingVariables> read_variables(const ConfigReader& reader, const Node& node,
                                        const std::string& path, VariablesScope scope) {
  PendingVariables variables;
  if (node.is_null()) return variables;
  if (!node.is_mapping()) {
    return reader.error(path, "expected a map of variables, got " + describe(node));
  }
  for (const auto& [key, value] : node.entries) {
    variables.push_back(BURROW_TRY(read_variable(reader, key, value, path_key(path, key), scope)));
  }
  return variables;
}

Result<std::chrono::seconds> read_timeout(const ConfigReader& reader, const Node& node,
                                          const std::string& path) {
  Result<std::string> text = reader.string(node, path);
  if (!text) {
    return reader.error(path,
                        "expected a duration such as \"1h 30m\" (a string), got " + describe(node));
  }
  Result<double> seconds = parse_duration(*text);
  if (!seconds) {
    return reader.error(path, "\"" + *text + "\" is not a duration: " + seconds.error().message);
  }
  if (*seconds >= static_cast<double>(kTimeoutLimit.count())) {
    return reader.error(path, "\"" + *text + "\" exceeds GitLab's limit of one month");
  }
  auto whole = std::chrono::seconds(static_cast<long long>(std::floor(*seconds)));
  if (whole.count() < 1) return reader.error(path, "\"" + *text + "\" is shorter than a second");
  return whole;
}

Result<std::vector<std::string>> read_stages(const ConfigReader& reader, const Node* node) {
  std::vector<std::string> stages = {".pre"};
  if (!node || node->is_null()) {
    stages.insert(stages.end(), {"build", "test", "deploy"});
  } else if (node->is_sequence()) {
    for (auto& stage : BURROW_TRY(reader.commands(*node, "stages"))) {
      if (stage != ".pre" && stage != ".post") stages.push_back(stage);
    }
  } else {
    return reader.error("stages", "expected a list of stage names, got " + describe(*node));
  }
  stages.push_back(".post");
  return stages;
}

}  // namespace burrow::shim::job
