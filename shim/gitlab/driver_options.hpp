// How `burrow-shim gitlab ...` runs a job's pod: the shim's own pod options (run/options.hpp,
// the same flags as `burrow-shim run`) plus where builds and caches live for the runner.
#pragma once

#include <chrono>
#include <string>

#include "run/options.hpp"

namespace burrow::shim::gitlab {

struct DriverOptions {
  run::RunOptions pod;  // images, scratch root, network, volumes, memory, binaries...
  std::string builds_dir = "/builds";  // in the pod: the runner's builds_dir (the workspace)
  std::string cache_dir = "/cache";    // in the pod: the runner's cache_dir
  std::string host_cache;              // host dir bound at cache_dir; "" for one per job
  std::string helper_image;            // the helper container's image; "" for the job's
  // The holder ends the pod by itself this long after the job's timeout
  // (CUSTOM_ENV_CI_JOB_TIMEOUT, else an hour) should the runner never call cleanup.
  std::chrono::seconds leftover_slack{3600};
  std::chrono::seconds stop_patience{60};  // cleanup: how long the holder may take to tear down
};

}  // namespace burrow::shim::gitlab
