#include "job/pipeline.hpp"

#include "job/extends.hpp"
#include "job/fields.hpp"
#include "job/image.hpp"
#include "job/keywords.hpp"
#include "job/reference.hpp"

namespace burrow::shim::job {
namespace {

// Checks one default (from `default:` or its deprecated top-level form) where it is written.
Status check_default(const ConfigReader& reader, const std::string& key, const Node& value,
                     const std::string& path) {
  if (value.is_null()) return {};
  IgnoredKeys unused;
  if (key == "image") BURROW_TRY(read_image(reader, value, path, unused));
  if (key == "services") BURROW_TRY(read_services(reader, value, path, unused));
  if (key == "before_script" || key == "after_script") BURROW_TRY(reader.commands(value, path));
  if (key == "timeout") BURROW_TRY(read_timeout(reader, value, path));
  return {};
}

}  // namespace

JobKind job_kind(const Node& job) {
  if (job.find("script")) return JobKind::script;
  if (job.find("run")) return JobKind::run;
  return JobKind::trigger;
}

Result<Pipeline> load_pipeline(const std::string& yaml_text, const ConfigReader& reader) {
  Pipeline pipeline;
  pipeline.root = BURROW_TRY(load_yaml(yaml_text, reader.file_name()));
  Node& root = pipeline.root;
  if (root.is_null()) return reader.error("", "empty file: no jobs");
  if (!root.is_mapping()) {
    return reader.error("", "expected a map of jobs and keywords, got " + describe(root));
  }
  BURROW_TRY(apply_extends(root, reader.file_name()));
  BURROW_TRY(resolve_references(root, reader.file_name()));

  Node globals = Node::mapping();
  for (const auto& [key, value] : root.entries) {
    if (!top_level_keywords().count(key)) {
      if (key.starts_with(".")) continue;  // hidden: a template, anything goes
      if (!value.is_mapping()) {
        return reader.error(key, "expected a job (a map with script:), got " + describe(value));
      }
      if (!value.find("script") && !value.find("run") && !value.find("trigger")) {
        return reader.error(key, "a job needs script: (or run: or trigger:)");
      }
      pipeline.jobs.push_back(key);
      continue;
    }
    if (key == "default") {
      if (value.is_null()) continue;
      BURROW_TRY(reader.mapping(value, key));
      BURROW_TRY(reader.known_keys(value, key, default_keywords()));
      for (const auto& [name, setting] : value.entries) {
        BURROW_TRY(check_default(reader, name, setting, path_key(key, name)));
        if (!setting.is_null()) pipeline.defaults.set(name, setting);
      }
    } else if (key == "variables") {
      pipeline.variables =
          BURROW_TRY(read_variables(reader, value, key, VariablesScope::top_level));
    } else if (global_default_keywords().count(key)) {
      BURROW_TRY(check_default(reader, key, value, key));
      if (!value.is_null()) globals.set(key, value);
    }
    if (key == "include" || key == "workflow" || key == "stages" || key == "cache") {
      add_once(pipeline.ignored_keywords, key);
    }
  }
  for (const auto& [key, value] : globals.entries) {
    if (pipeline.defaults.find(key)) {
      return reader.error("", key + " is defined both at the top level and in default:");
    }
    pipeline.defaults.set(key, value);
  }
  pipeline.stages = BURROW_TRY(read_stages(reader, root.find("stages")));
  return pipeline;
}

}  // namespace burrow::shim::job
