// What GitLab Runner's custom executor hands each driver call through its environment
// (README: GitLab Runner's custom executor). The runner runs every stage with its own
// environment plus:
//   BUILD_FAILURE_EXIT_CODE, SYSTEM_FAILURE_EXIT_CODE  the two codes a driver may exit with
//   BUILD_EXIT_CODE_FILE     where a driver may write the script's own exit code
//   JOB_RESPONSE_FILE, TMPDIR
//   CUSTOM_ENV_<KEY>         every job variable (CI_JOB_ID, CI_JOB_IMAGE, CI_JOB_SERVICES, ...)
// This file turns that into the driver's inputs; it reads no process state (the caller passes
// the environment), so its rules are unit-tested.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "job/model.hpp"

namespace burrow::shim::gitlab {

using Environment = std::map<std::string, std::string>;

// The environment of this process (`environ`), as a map.
Environment current_environment();

// The runner's exit codes: BUILD_FAILURE_EXIT_CODE and SYSTEM_FAILURE_EXIT_CODE (1 and 2, the
// runner's values, when unset or not a number 1..255), and BUILD_EXIT_CODE_FILE ("" if unset).
struct ExitCodes {
  int build_failure = 1;
  int system_failure = 2;
  std::string build_exit_code_file;
};
ExitCodes exit_codes(const Environment& env);

// CUSTOM_ENV_<KEY> -> KEY (the job's variables), in key order.
job::Variables job_variables(const Environment& env);
// One job variable ("" when the runner did not pass it).
std::string job_variable(const Environment& env, std::string_view key);

// The key of the job's directory (and the prefix of its containers' ids), the same in all four
// calls of one job: "<CI_JOB_ID>-gitlab-<8 hex digits of a hash of CI_SERVER_URL>". Job ids are
// unique within one GitLab instance; the hash keeps two instances' jobs apart on one host. An
// error when CUSTOM_ENV_CI_JOB_ID is missing or not a number.
Result<std::string> job_key(const Environment& env);

// The pod's host name (also config's `hostname`): "runner-burrow-job-<CI_JOB_ID>".
std::string pod_hostname(const Environment& env);

// The job's services: CUSTOM_ENV_CI_JOB_SERVICES when the runner sets it (its JSON array of
// {name, alias, entrypoint, command, variables}; set and empty means none), else the job
// variable BURROW_SERVICES in the same form (for runners that predate CI_JOB_SERVICES). An error
// names the variable and the JSON path.
Result<std::vector<job::ServiceSpec>> job_services(const Environment& env);

// Parses one such JSON array; `what` names it in errors.
Result<std::vector<job::ServiceSpec>> parse_services_json(const std::string& text,
                                                          const std::string& what);

}  // namespace burrow::shim::gitlab
