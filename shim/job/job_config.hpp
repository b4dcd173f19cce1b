// One job's keywords after `default:` inheritance, checked and read, variables not yet
// expanded (job/gitlab_ci does that with the predefined ones).
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "job/config_reader.hpp"
#include "job/image.hpp"
#include "job/model.hpp"
#include "job/pipeline.hpp"

namespace burrow::shim::job {

struct JobConfig {
  std::string name;
  std::string stage = "test";
  ImageSpec image;  // name as written
  std::vector<ServiceConfig> services;
  std::vector<std::string> before_script;
  std::vector<std::string> script;
  std::vector<std::string> after_script;
  std::chrono::seconds timeout{3600};
  PendingVariables variables;  // the job's own `variables:`
  // `inherit: variables:` — which top-level variables the job sees; unset: all of them.
  std::optional<std::set<std::string>> inherited_variables;
  std::vector<std::string> ignored_keywords;  // the job's and its inherited defaults'
};

// Reads visible job `name` (a `script:` job) of `pipeline`.
Result<JobConfig> read_job_config(const Pipeline& pipeline, const ConfigReader& reader,
                                  const std::string& name);

}  // namespace burrow::shim::job
