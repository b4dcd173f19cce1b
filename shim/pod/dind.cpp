#include "pod/dind.hpp"

namespace burrow::shim::pod {
namespace {

using nlohmann::json;

std::string base_name(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

json char_device(const std::string& path, int major, int minor) {
  return {{"path", path},     {"type", "c"}, {"major", major}, {"minor", minor},
          {"fileMode", 0666}, {"uid", 0},    {"gid", 0}};
}

}  // namespace

std::string service_profile(const job::ServiceSpec& service,
                            const std::vector<std::string>& command) {
  if (!service.profile.empty()) return service.profile;
  if (command.empty()) return "";
  std::string program = base_name(command.front());
  if (program == "dockerd" || program == "dockerd-entrypoint.sh" || program == "dockerd-entrypoint")
    return kDindProfile;
  return "";
}

std::optional<std::string> client_certs_path(const std::vector<std::string>& env) {
  const std::string prefix = "DOCKER_TLS_CERTDIR=";
  std::string value;
  for (const auto& entry : env) {
    if (entry.rfind(prefix, 0) == 0) value = entry.substr(prefix.size());
  }
  if (value.empty() || value.front() != '/') return std::nullopt;
  while (value.size() > 1 && value.back() == '/') value.pop_back();
  return (value == "/" ? "" : value) + "/client";
}

void make_dind_config(json& config, bool delegate_cgroup) {
  json& annotations = config["annotations"];
  // The profile asks for a leased user namespace of its own; a pod member joins the pod's.
  annotations.erase("run.burrow.userns");
  if (delegate_cgroup) annotations["run.burrow.cgroup.delegate"] = "true";
  if (annotations.empty()) config.erase("annotations");
  json& devices = config["linux"]["devices"];
  if (!devices.is_array()) devices = json::array();
  devices.push_back(char_device("/dev/net/tun", 10, 200));
  devices.push_back(char_device("/dev/fuse", 10, 229));
}

json docker_data_mount(const std::string& host_dir) {
  // No nosuid: inner images carry set-uid programs, which gain only ids of the pod's range.
  return {{"destination", "/var/lib/docker"},
          {"type", "bind"},
          {"source", host_dir},
          {"options", {"rbind", "nodev", "rw"}}};
}

}  // namespace burrow::shim::pod
