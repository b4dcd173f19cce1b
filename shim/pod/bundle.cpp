#include "pod/bundle.hpp"

#include "pod/dind.hpp"

namespace burrow::shim::pod {
namespace {

using nlohmann::json;

json namespaces_of(const ContainerPlan& plan) {
  json list = json::array();
  const char* shared[] = {"user", "pid", "network", "ipc", "uts"};
  for (const char* type : shared) {
    // Rootless: the shim's own user namespace is the pod's (no range to map).
    if (plan.ids.size == 0 && std::string(type) == "user") continue;
    if (plan.infra)
      list.push_back({{"type", type}});
    else
      list.push_back({{"type", type},
                      {"path", "/proc/" + std::to_string(plan.infra_pid) + "/ns/" +
                                   (std::string(type) == "network" ? "net" : type)}});
  }
  list.push_back({{"type", "mount"}});
  list.push_back({{"type", "cgroup"}});
  return list;
}

void make_sysfs_writable(json& config) {
  if (!config.contains("mounts") || !config["mounts"].is_array()) return;
  for (auto& mount : config["mounts"]) {
    if (mount.value("type", "") != "sysfs" || !mount.contains("options")) continue;
    json options = json::array();
    for (const auto& option : mount["options"])
      if (option != "ro") options.push_back(option);
    mount["options"] = options;
  }
}

json id_mapping(uint32_t host, uint32_t size) {
  return json::array({{{"containerID", 0}, {"hostID", host}, {"size", size}}});
}

}  // namespace

json bind_mount(const std::string& source, const std::string& destination, bool read_only) {
  json options = {"rbind", "nosuid", "nodev"};
  options.push_back(read_only ? "ro" : "rw");
  return {{"destination", destination}, {"type", "bind"}, {"source", source}, {"options", options}};
}

json container_config(const json& base, const ContainerPlan& plan) {
  json config = base;
  json& process = config["process"];
  process["terminal"] = false;
  process["args"] = plan.args;
  process["env"] = plan.env;
  process["cwd"] = plan.cwd.empty() ? "/" : plan.cwd;
  process["user"] = {{"uid", plan.uid}, {"gid", plan.gid}};
  if (!plan.additional_gids.empty()) process["user"]["additionalGids"] = plan.additional_gids;
  config["root"] = {{"path", plan.rootfs}, {"readonly", plan.readonly_rootfs}};
  config.erase("hostname");
  if (plan.infra && !plan.hostname.empty()) config["hostname"] = plan.hostname;
  for (const auto& mount : plan.extra_mounts) config["mounts"].push_back(mount);
  json& linux_section = config["linux"];
  linux_section["namespaces"] = namespaces_of(plan);
  linux_section.erase("uidMappings");
  linux_section.erase("gidMappings");
  linux_section.erase("sysctl");
  if (plan.infra && plan.ids.size != 0) {
    linux_section["uidMappings"] = id_mapping(plan.ids.host_uid, plan.ids.size);
    linux_section["gidMappings"] = id_mapping(plan.ids.host_gid, plan.ids.size);
  }
  if (plan.infra) {
    // ping without CAP_NET_RAW for every group the pod maps (the kernel refuses unmapped ones).
    uint32_t groups = plan.ids.size != 0 ? plan.ids.size : 65537;
    linux_section["sysctl"] = {{"net.ipv4.ping_group_range", "0 " + std::to_string(groups - 1)}};
  }
  if (!plan.cgroups_path.empty()) linux_section["cgroupsPath"] = plan.cgroups_path;
  if (plan.memory_limit)
    linux_section["resources"]["memory"] = {{"limit", *plan.memory_limit},
                                            {"swap", *plan.memory_limit}};
  if (!plan.annotations.empty()) {
    for (const auto& [key, value] : plan.annotations) config["annotations"][key] = value;
  }
  if (plan.profile == kDindProfile) make_dind_config(config, !plan.cgroups_path.empty());
  if (plan.writable_sysfs || plan.profile == kDindProfile) make_sysfs_writable(config);
  return config;
}

}  // namespace burrow::shim::pod
