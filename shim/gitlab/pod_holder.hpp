// The process that keeps a custom-executor job's pod alive between the runner's separate
// driver calls (docs/DESIGN.md: burrow-shim gitlab). `prepare` forks it into a session of its
// own; it makes the job dir (and is its owner.json), the pod, the services (waited for), and two
// long-lived members that idle under burrow-pod-init: `job` from the job's image and `helper`
// (the helper image, default the job's) sharing the workspace and cache dir. It reports progress
// lines to `prepare` through a pipe, writes <job dir>/gitlab.json when all is up, and then waits
// for SIGTERM (from `cleanup`) or its deadline, tears everything down and removes the job dir.
// If it dies by SIGKILL, the pod dies with it (burrow-pod-init sees end of file) and `cleanup`
// removes what is left, as `burrow-shim cleanup` does for a killed shim.
#pragma once

#include <string>

#include "base/fd.hpp"
#include "gitlab/driver_env.hpp"
#include "gitlab/driver_options.hpp"

namespace burrow::shim::gitlab {

// The report protocol, one line per message on the pipe: "say <text>" (shown in the job log),
// then one final "ready", or "failed <exit-code name>" (outcome/exit_codes.hpp) before it ends.
inline constexpr const char* kReady = "ready";

// Runs in the forked holder; returns its exit code. `report` is the pipe's write end.
int hold_pod(const Environment& env, const DriverOptions& options, const std::string& key,
             Fd report);

}  // namespace burrow::shim::gitlab
