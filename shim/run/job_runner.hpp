// `burrow-shim run`: one job from start to teardown. The order is GitLab's docker executor's:
// images, the pod, services (started detached, then waited for), the script on STDIN of the job
// container's shell, after_script in a new container on the same filesystem, teardown. Every
// failure on the way still tears down everything made so far and writes the summary.
#pragma once

#include "job/model.hpp"
#include "run/options.hpp"

namespace burrow::shim::run {

// Runs `job`; returns burrow-shim's exit code (outcome/exit_codes.hpp).
int run_job(const job::Job& job, const RunOptions& options);

}  // namespace burrow::shim::run
