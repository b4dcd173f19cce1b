// The predefined variables a job sees, split by who sets them, because that decides whether
// the file's own variables can override them: GitLab's (CI, CI_JOB_NAME, CI_PIPELINE_ID...)
// and most of GitLab Runner's (CI_PROJECT_DIR, CI_BUILDS_DIR, CI_SERVER...) come before the
// job's variables, so a job may override them; a few of the runner's come after and win.
#pragma once

#include <chrono>
#include <string>

#include "job/read_options.hpp"
#include "job/variables.hpp"

namespace burrow::shim::job {

struct PredefinedContext {
  const ReadOptions& options;
  std::string config_file;  // CI_CONFIG_PATH: the file name as given
  std::string job_name;
  std::string stage;
  std::string image_name;  // as written: the runner expands it with the job's variables
  std::chrono::seconds timeout;
};

// GitLab's: CI, GITLAB_CI, CI_JOB_*, CI_PIPELINE_*, CI_PROJECT_*, CI_COMMIT_*...
PendingVariables server_predefined_variables(const PredefinedContext& context);

// The runner's that a job may override: CI_JOB_IMAGE, CI_BUILDS_DIR, CI_PROJECT_DIR,
// CI_CONCURRENT_ID, CI_CONCURRENT_PROJECT_ID, CI_SERVER, CI_JOB_STATUS, CI_JOB_TIMEOUT.
PendingVariables runner_variables_before_job(const PredefinedContext& context);

// The runner's that win over the job's: CI_DISPOSABLE_ENVIRONMENT, CI_RUNNER_EXECUTABLE_ARCH.
PendingVariables runner_variables_after_job();

// GitLab's slugs (CI_COMMIT_REF_SLUG...): lowercased, anything but a-z0-9 becomes '-', at most
// 63 characters, no '-' at either end.
std::string slugify(const std::string& text);

}  // namespace burrow::shim::job
