// The four executables of GitLab Runner's custom executor (README: GitLab Runner's custom
// executor; docs/DESIGN.md: burrow-shim gitlab), each returning the process's exit code:
//   config   prints the driver's JSON (config_output.hpp); 0
//   prepare  forks the pod holder (pod_holder.hpp), shows its progress, returns 0 once the pod
//            is up, SYSTEM_FAILURE_EXIT_CODE when it could not be made (missing image too)
//   run      feeds SCRIPT on stdin of the stage's container's shell through `burrow exec`:
//            0, or BUILD_FAILURE_EXIT_CODE for a failing script (its own code written to
//            BUILD_EXIT_CODE_FILE), SYSTEM_FAILURE_EXIT_CODE when the pod is not there
//   cleanup  stops the holder (SIGTERM, SIGKILL after --stop-patience) and removes whatever is
//            left of the job; 0, or SYSTEM_FAILURE_EXIT_CODE when something stayed
// Each finds its job from the runner's variables (driver_env.hpp job_key).
#pragma once

#include <string>

#include "gitlab/driver_env.hpp"
#include "gitlab/driver_options.hpp"

namespace burrow::shim::gitlab {

int config_command(const Environment& env, const DriverOptions& options,
                   const std::string& version);
int prepare_command(const Environment& env, const DriverOptions& options);
int run_command(const Environment& env, const DriverOptions& options, const std::string& script,
                const std::string& stage);
int cleanup_command(const Environment& env, const DriverOptions& options);

}  // namespace burrow::shim::gitlab
