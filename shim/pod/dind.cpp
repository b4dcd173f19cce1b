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

// Every capability Linux 6.x knows (the runtime leaves out, with a warning, those above the
// kernel's cap_last_cap). Held in the pod's user namespace, each is the pod's: the kernel checks
// the ones that reach the host (module loading, raw I/O, time, open_by_handle_at, BPF, ...)
// against the initial user namespace, where the pod's root has none.
const char* const kAllCapabilities[] = {"CAP_CHOWN",
                                        "CAP_DAC_OVERRIDE",
                                        "CAP_DAC_READ_SEARCH",
                                        "CAP_FOWNER",
                                        "CAP_FSETID",
                                        "CAP_KILL",
                                        "CAP_SETGID",
                                        "CAP_SETUID",
                                        "CAP_SETPCAP",
                                        "CAP_LINUX_IMMUTABLE",
                                        "CAP_NET_BIND_SERVICE",
                                        "CAP_NET_BROADCAST",
                                        "CAP_NET_ADMIN",
                                        "CAP_NET_RAW",
                                        "CAP_IPC_LOCK",
                                        "CAP_IPC_OWNER",
                                        "CAP_SYS_MODULE",
                                        "CAP_SYS_RAWIO",
                                        "CAP_SYS_CHROOT",
                                        "CAP_SYS_PTRACE",
                                        "CAP_SYS_PACCT",
                                        "CAP_SYS_ADMIN",
                                        "CAP_SYS_BOOT",
                                        "CAP_SYS_NICE",
                                        "CAP_SYS_RESOURCE",
                                        "CAP_SYS_TIME",
                                        "CAP_SYS_TTY_CONFIG",
                                        "CAP_MKNOD",
                                        "CAP_LEASE",
                                        "CAP_AUDIT_WRITE",
                                        "CAP_AUDIT_CONTROL",
                                        "CAP_SETFCAP",
                                        "CAP_MAC_OVERRIDE",
                                        "CAP_MAC_ADMIN",
                                        "CAP_SYSLOG",
                                        "CAP_WAKE_ALARM",
                                        "CAP_BLOCK_SUSPEND",
                                        "CAP_AUDIT_READ",
                                        "CAP_PERFMON",
                                        "CAP_BPF",
                                        "CAP_CHECKPOINT_RESTORE"};

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
  // An inner `docker run --privileged` asks for every capability: its runc cannot raise one
  // outside the service's bounding set. (And for a read-write sysfs: see writable_sysfs.)
  json all = json::array();
  for (const char* name : kAllCapabilities) all.push_back(name);
  json& capabilities = config["process"]["capabilities"];
  for (const char* set : {"bounding", "effective", "permitted"}) capabilities[set] = all;
}

json docker_data_mount(const std::string& host_dir) {
  // No nosuid: inner images carry set-uid programs, which gain only ids of the pod's range.
  return {{"destination", "/var/lib/docker"},
          {"type", "bind"},
          {"source", host_dir},
          {"options", {"rbind", "nodev", "rw"}}};
}

}  // namespace burrow::shim::pod
