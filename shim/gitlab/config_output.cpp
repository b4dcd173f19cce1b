#include "gitlab/config_output.hpp"

namespace burrow::shim::gitlab {

nlohmann::json config_json(const DriverConfig& config) {
  nlohmann::json out = {
      {"builds_dir", config.builds_dir},
      {"cache_dir", config.cache_dir},
      {"builds_dir_is_shared", false},
      {"driver", {{"name", "burrow-shim"}, {"version", config.version}}},
      {"job_env", nlohmann::json::object()},
  };
  if (!config.hostname.empty()) out["hostname"] = config.hostname;
  for (const auto& [key, value] : config.job_env) out["job_env"][key] = value;
  return out;
}

}  // namespace burrow::shim::gitlab
