#include "job/gitlab_ci.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "base/file.hpp"
#include "job/job_config.hpp"
#include "job/pipeline.hpp"
#include "job/predefined.hpp"

namespace burrow::shim::job {
namespace {

std::string join(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

// GitLab merges the top-level variables (those `inherit: variables:` lets in) with the job's
// as a Ruby hash: a job's variable replaces the top-level one of the same name in its place.
PendingVariables file_variables(const Pipeline& pipeline, const JobConfig& config) {
  PendingVariables merged;
  auto put = [&](const PendingVariable& variable) {
    for (auto& existing : merged) {
      if (existing.key == variable.key) {
        existing = variable;
        return;
      }
    }
    merged.push_back(variable);
  };
  for (const auto& variable : pipeline.variables) {
    if (!config.inherited_variables || config.inherited_variables->count(variable.key)) {
      put(variable);
    }
  }
  for (const auto& variable : config.variables) put(variable);
  return merged;
}

// Service aliases: several names may share one `alias:`, split at commas and spaces.
std::vector<std::string> split_aliases(const std::string& alias) {
  std::vector<std::string> names;
  std::string name;
  for (char c : alias + " ") {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      if (!name.empty()) names.push_back(name);
      name.clear();
    } else {
      name += c;
    }
  }
  return names;
}

Result<Job> build_job(const Pipeline& pipeline, const JobConfig& config, const ConfigReader& reader,
                      const ReadOptions& options) {
  Job job;
  job.name = config.name;
  job.stage = config.stage;
  job.before_script = config.before_script;
  job.script = config.script;
  job.after_script = config.after_script;
  job.timeout = config.timeout;
  job.ignored_keywords = pipeline.ignored_keywords;
  for (const auto& keyword : config.ignored_keywords) add_once(job.ignored_keywords, keyword);

  PredefinedContext context{options,      reader.file_name(), config.name,
                            config.stage, config.image.name,  config.timeout};
  PendingVariables server = server_predefined_variables(context);
  PendingVariables before = runner_variables_before_job(context);
  PendingVariables after = runner_variables_after_job();
  PendingVariables from_file = file_variables(pipeline, config);

  // GitLab's pass: its predefined variables, then the file's.
  PendingVariables server_side = server;
  server_side.insert(server_side.end(), from_file.begin(), from_file.end());
  Result<PendingVariables> sorted = expand_by_dependency(server_side);
  if (!sorted) return reader.error(config.name + ".variables", sorted.error().message);

  // The runner's pass: its own variables around what GitLab sent.
  PendingVariables runner_side = before;
  runner_side.insert(runner_side.end(), sorted->begin(), sorted->end());
  runner_side.insert(runner_side.end(), after.begin(), after.end());
  PendingVariables all = expand_all_once(runner_side);

  job.image = config.image;
  job.image.name = expand_once(config.image.name, all);

  std::map<std::string, std::string> final_values;  // the last of each name wins
  for (const auto& variable : all) final_values[variable.key] = variable.value;
  bool file_sets_job_image = false;
  for (const auto& variable : from_file) file_sets_job_image |= variable.key == "CI_JOB_IMAGE";
  if (!job.image.name.empty() && !file_sets_job_image) {
    final_values["CI_JOB_IMAGE"] = job.image.name;
  }
  // One entry per name: predefined first, then the file's in their order.
  for (const auto* group : {&server, &before, &after, &from_file}) {
    for (const auto& variable : *group) {
      bool seen = false;
      for (const auto& existing : job.variables) seen |= existing.key == variable.key;
      if (!seen) job.variables.push_back({variable.key, final_values[variable.key]});
    }
  }

  for (const auto& service_config : config.services) {
    ServiceSpec service;
    service.image = service_config.image;
    service.image.name = expand_once(service_config.image.name, all);
    service.aliases = split_aliases(expand_once(service_config.alias, all));
    service.command = service_config.command;
    service.profile = service_config.profile;
    // A service's own variables expand once against the job's and its own, as written.
    PendingVariables source = all;
    source.insert(source.end(), service_config.variables.begin(), service_config.variables.end());
    for (const auto& variable : service_config.variables) {
      service.variables.push_back({variable.key, expand_once(variable.value, source)});
    }
    job.services.push_back(std::move(service));
  }
  return job;
}

}  // namespace

Result<Job> parse_gitlab_ci(const std::string& yaml_text, const std::string& file_name,
                            const std::string& job_name, const ReadOptions& options) {
  ConfigReader reader(file_name);
  Pipeline pipeline = BURROW_TRY(load_pipeline(yaml_text, reader));
  const Node* node = pipeline.root.find(job_name);
  if (node && job_name.starts_with(".")) {
    return reader.error("", "'" + job_name +
                                "' is a hidden job (its name starts with '.'); "
                                "hidden jobs are templates and cannot be run");
  }
  bool is_job =
      std::find(pipeline.jobs.begin(), pipeline.jobs.end(), job_name) != pipeline.jobs.end();
  if (!is_job) {
    return reader.error("", "no job named '" + job_name + "' (jobs: " + join(pipeline.jobs) + ")");
  }
  JobKind kind = job_kind(*node);
  if (kind != JobKind::script) {
    return reader.error(job_name, std::string("burrow-shim runs jobs with script:, this one has ") +
                                      (kind == JobKind::run ? "run:" : "trigger:"));
  }
  // GitLab rejects the whole file when any job is invalid, so check them all.
  std::optional<JobConfig> selected;
  for (const auto& name : pipeline.jobs) {
    if (job_kind(*pipeline.root.find(name)) != JobKind::script) continue;
    JobConfig config = BURROW_TRY(read_job_config(pipeline, reader, name));
    if (name == job_name) selected = std::move(config);
  }
  return build_job(pipeline, *selected, reader, options);
}

Result<Job> read_gitlab_ci(const std::string& path, const std::string& job_name,
                           const ReadOptions& options) {
  std::string text = BURROW_TRY(file::read(path));
  return parse_gitlab_ci(text, path, job_name, options);
}

Result<std::vector<std::string>> list_jobs(const std::string& yaml_text,
                                           const std::string& file_name) {
  ConfigReader reader(file_name);
  Pipeline pipeline = BURROW_TRY(load_pipeline(yaml_text, reader));
  return pipeline.jobs;
}

}  // namespace burrow::shim::job
