// The suites: each takes the session and appends its measurements (or scorecard columns) to
// the results; every one interleaves the runtimes (the order rotates each repetition) and
// stops between measurements once a stop was requested, keeping what it measured.
#pragma once

#include <string>
#include <vector>

#include "report/results.hpp"
#include "suites/session.hpp"

namespace burrow::bench {

struct SuiteOptions {
  int repetitions = 30;
  std::vector<int> density_levels{10, 50, 100};
  int density_repetitions = 3;
  std::string rootfs;     // the shared rootfs (make_rootfs)
  int rootless_uid = -1;  // the scorecard's rootless columns run as this user (-1: none)
  int rootless_gid = -1;
  nlohmann::json base_config;  // the cost suites' config (one runtime's spec, for all)
};

// The work each suite will report to the progress line (a density step weighs its containers).
int lifecycle_steps(const SuiteOptions& options, int runtimes);
int density_steps(const SuiteOptions& options, int runtimes);
int scorecard_steps(const SuiteOptions& options, int runtimes);

// lifecycle: run of `true`, and with memory and pids limits (run_limits); create, start, delete
// of `true` timed apart; exec of `true` into a running container.
Status run_lifecycle(Session& session, const SuiteOptions& options, Results& results);
// density: N containers started one after another and alive at once (N per density_levels):
// the time to start them all and per container, the memory charged to each container's cgroup
// (mean), the drop of the host's MemAvailable per container (noisy on a busy host: kernel memory
// of namespaces and cgroups shows here), the PSS of each container's init, and the time to
// delete them all.
Status run_density(Session& session, const SuiteOptions& options, Results& results);
// scorecard: burrow-bench-probe in each runtime x configuration.
Status run_scorecard(Session& session, const SuiteOptions& options, Results& results);

// The order of the targets in repetition `rep`: rotated by rep, so no runtime is always first.
std::vector<size_t> rotated_order(size_t count, int rep);

}  // namespace burrow::bench
