#include "job/job_config.hpp"

#include <algorithm>

#include "job/fields.hpp"
#include "job/keywords.hpp"

namespace burrow::shim::job {
namespace {

// `inherit: default:` / `inherit: variables:` — true (the default), false, or a list of names.
// Returns the names allowed, unset for "all".
Result<std::optional<std::set<std::string>>> read_inherit_choice(
    const ConfigReader& reader, const Node& node, const std::string& path,
    const std::set<std::string>* known_names) {
  using Names = std::optional<std::set<std::string>>;
  if (node.is_null()) return Names();
  if (node.is_sequence()) {
    std::vector<std::string> list = BURROW_TRY(reader.string_list(node, path));
    std::string unknown;
    for (const auto& name : list) {
      if (known_names && !known_names->count(name)) unknown += (unknown.empty() ? "" : ", ") + name;
    }
    if (!unknown.empty()) return reader.error(path, "not default keywords: " + unknown);
    return Names(std::set<std::string>(list.begin(), list.end()));
  }
  Result<bool> all = reader.boolean(node, path);
  if (!all) {
    return reader.error(path, "expected true, false or a list of names, got " + describe(node));
  }
  return *all ? Names() : Names(std::set<std::string>());
}

struct Inherit {
  std::optional<std::set<std::string>> defaults;
  std::optional<std::set<std::string>> variables;
};

Result<Inherit> read_inherit(const ConfigReader& reader, const Node* node,
                             const std::string& path) {
  Inherit inherit;
  if (!node || node->is_null()) return inherit;
  BURROW_TRY(reader.mapping(*node, path));
  BURROW_TRY(reader.known_keys(*node, path, {"default", "variables"}));
  if (const Node* defaults = node->find("default")) {
    inherit.defaults = BURROW_TRY(
        read_inherit_choice(reader, *defaults, path_key(path, "default"), &default_keywords()));
  }
  if (const Node* variables = node->find("variables")) {
    inherit.variables =
        BURROW_TRY(read_inherit_choice(reader, *variables, path_key(path, "variables"), nullptr));
  }
  return inherit;
}

// The value of `key`, unless it is missing or null.
const Node* specified(const Node& job, const std::string& key) {
  const Node* value = job.find(key);
  return value && !value->is_null() ? value : nullptr;
}

}  // namespace

Result<JobConfig> read_job_config(const Pipeline& pipeline, const ConfigReader& reader,
                                  const std::string& name) {
  JobConfig config;
  config.name = name;
  Node job = *pipeline.root.find(name);
  BURROW_TRY(reader.known_keys(job, name, job_keywords()));
  Inherit inherit =
      BURROW_TRY(read_inherit(reader, job.find("inherit"), path_key(name, "inherit")));
  config.inherited_variables = inherit.variables;

  // Defaults fill the keys the job leaves unset (null counts as unset, as in GitLab).
  for (const auto& [key, value] : pipeline.defaults.entries) {
    if (specified(job, key)) continue;
    if (inherit.defaults && !inherit.defaults->count(key)) continue;
    job.set(key, value);
  }
  for (const auto& [key, value] : job.entries) {
    if (!job_keywords_acted_on().count(key)) add_once(config.ignored_keywords, key);
  }

  if (const Node* stage = specified(job, "stage")) {
    config.stage = BURROW_TRY(reader.string(*stage, path_key(name, "stage")));
  }
  // The default stage too must be one of `stages:`.
  if (std::find(pipeline.stages.begin(), pipeline.stages.end(), config.stage) ==
      pipeline.stages.end()) {
    std::string available;
    for (const auto& s : pipeline.stages) available += (available.empty() ? "" : ", ") + s;
    return reader.error(path_key(name, "stage"),
                        "stage '" + config.stage + "' is not in stages (" + available + ")");
  }
  const Node* script = specified(job, "script");
  if (!script) return reader.error(path_key(name, "script"), "missing");
  config.script = BURROW_TRY(reader.commands(*script, path_key(name, "script")));
  if (config.script.empty() || (script->kind == Node::Kind::scalar && config.script[0].empty())) {
    return reader.error(path_key(name, "script"), "empty");
  }
  if (const Node* before = specified(job, "before_script")) {
    config.before_script = BURROW_TRY(reader.commands(*before, path_key(name, "before_script")));
  }
  if (const Node* after = specified(job, "after_script")) {
    config.after_script = BURROW_TRY(reader.commands(*after, path_key(name, "after_script")));
  }
  if (const Node* image = specified(job, "image")) {
    config.image =
        BURROW_TRY(read_image(reader, *image, path_key(name, "image"), config.ignored_keywords));
  }
  if (const Node* services = specified(job, "services")) {
    config.services = BURROW_TRY(
        read_services(reader, *services, path_key(name, "services"), config.ignored_keywords));
  }
  if (const Node* timeout = specified(job, "timeout")) {
    config.timeout = BURROW_TRY(read_timeout(reader, *timeout, path_key(name, "timeout")));
  }
  if (const Node* variables = job.find("variables")) {
    config.variables = BURROW_TRY(
        read_variables(reader, *variables, path_key(name, "variables"), VariablesScope::job));
  }
  return config;
}

}  // namespace burrow::shim::job
