// `burrow-shim gitlab config`: the JSON GitLab Runner reads from config_exec's stdout
// (executors/custom/api ConfigExecOutput): where builds and caches live inside the pod, that
// the builds dir is the job's own, the host name to show, the driver's name and version, and
// job_env (variables the runner adds to the environment of the job's later driver calls).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace burrow::shim::gitlab {

struct DriverConfig {
  std::string builds_dir = "/builds";
  std::string cache_dir = "/cache";
  std::string hostname;  // "" leaves the field out
  std::string version;
  std::map<std::string, std::string> job_env;
};

// builds_dir, cache_dir, builds_dir_is_shared (false: every job has a pod and workspace of its
// own), hostname, driver {name: "burrow-shim", version}, job_env.
nlohmann::json config_json(const DriverConfig& config);

}  // namespace burrow::shim::gitlab
