#include "cli/pod_options.hpp"

#include <unistd.h>

#include "cli/paths.hpp"

namespace po = boost::program_options;

namespace burrow::shim::cli {

void add_pod_options(po::options_description& options) {
  // clang-format off
  options.add_options()
      ("images", po::value<std::string>()->default_value(default_data_dir("images")),
       "the image store")
      ("scratch", po::value<std::string>()->default_value(default_data_dir("jobs")),
       "where job dirs live (overlay upper dirs: a real file system)")
      ("volume,v", po::value<std::vector<std::string>>()->composing(),
       "HOST:CONTAINER[:ro|:rw], in every container of the job (repeatable)")
      ("network", po::value<std::string>()->default_value("pasta"),
       "the pod's network: pasta, slirp4netns or none")
      ("memory,m", po::value<std::string>(),
       "memory limit of the job's containers, no swap (e.g. 512m; as docker run -m)")
      ("service-wait", po::value<unsigned>()->default_value(30),
       "seconds to wait for each service's port")
      ("service-wait-fatal", po::bool_switch(), "a service that does not come up fails the job")
      ("grace", po::value<unsigned>()->default_value(10),
       "seconds between SIGTERM and SIGKILL on timeout or cancel")
      ("default-image", po::value<std::string>()->default_value(""),
       "the image of a job that names none")
      ("runtime", po::value<std::string>()->default_value(""), "the burrow binary")
      ("pod-init", po::value<std::string>()->default_value(""), "the burrow-pod-init binary")
      ("service-init", po::value<std::string>()->default_value("/usr/bin/tini-static"),
       "the static init run as each service's first process");
  // clang-format on
}

std::optional<std::string> read_pod_options(const po::variables_map& values, run::RunOptions& out) {
  out.images_dir = values["images"].as<std::string>();
  out.scratch_root = values["scratch"].as<std::string>();
  out.network = values["network"].as<std::string>();
  if (out.network != "pasta" && out.network != "slirp4netns" && out.network != "none")
    return "--network " + out.network + ": not one of pasta, slirp4netns, none";
  if (values.count("volume")) {
    for (const auto& text : values["volume"].as<std::vector<std::string>>()) {
      auto volume = run::parse_volume(text);
      if (!volume) return volume.error().message;
      out.volumes.push_back(*volume);
    }
  }
  if (values.count("memory")) {
    auto limit = run::parse_size(values["memory"].as<std::string>());
    if (!limit) return "--memory: " + limit.error().message;
    out.memory_limit = *limit;
  }
  out.service_wait = std::chrono::seconds(values["service-wait"].as<unsigned>());
  out.service_wait_fatal = values["service-wait-fatal"].as<bool>();
  out.grace = std::chrono::seconds(values["grace"].as<unsigned>());
  out.default_image = values["default-image"].as<std::string>();
  out.service_init_binary = values["service-init"].as<std::string>();
  out.runtime_binary = values["runtime"].as<std::string>();
  if (out.runtime_binary.empty()) out.runtime_binary = companion("burrow", "runtime");
  if (out.runtime_binary.empty()) return "no burrow binary found (--runtime)";
  out.pod_init_binary = values["pod-init"].as<std::string>();
  if (out.pod_init_binary.empty()) out.pod_init_binary = companion("burrow-pod-init", "shim");
  if (out.pod_init_binary.empty()) return "no burrow-pod-init binary found (--pod-init)";
  if (::access(out.service_init_binary.c_str(), X_OK) != 0)
    return "--service-init " + out.service_init_binary +
           ": not an executable (Debian's tini package has /usr/bin/tini-static)";
  return std::nullopt;
}

}  // namespace burrow::shim::cli
