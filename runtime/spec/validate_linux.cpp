// Rules for the linux section: namespaces, id mappings, UTS, sysctl, devices, paths.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "spec/validate_parts.hpp"

namespace burrow::spec::validate_parts {
namespace {

const std::vector<Namespace> kNoNamespaces;

const std::vector<Namespace>& namespaces_of(const Spec& spec) {
  return spec.linux ? spec.linux->namespaces : kNoNamespaces;
}

// runc accepts "/" as the separator too (sysctl.d(5)): "net/ipv4/ip_forward".
std::string with_dot_separators(const std::string& name) {
  size_t first = name.find_first_of("./");
  if (first == std::string::npos || name[first] == '.') return name;
  std::string out = name;
  for (char& c : out) {
    if (c == '.') {
      c = '/';
    } else if (c == '/') {
      c = '.';
    }
  }
  return out;
}

bool is_ipc_sysctl(const std::string& name) {
  static constexpr std::string_view kIpc[] = {
      "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
      "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"};
  return std::find(std::begin(kIpc), std::end(kIpc), name) != std::end(kIpc) ||
         name.starts_with("fs.mqueue.");
}

// A netns joined by path may still be the host's own (runc compares it with ours).
Result<bool> is_host_network(const Namespace* net) {
  if (!net) return true;
  if (net->path.empty()) return false;
  struct stat ours {};
  struct stat theirs {};
  if (::stat("/proc/self/ns/net", &ours) != 0) {
    return Error::from_errno("invalid netns path: stat /proc/self/ns/net");
  }
  if (::stat(net->path.c_str(), &theirs) != 0) {
    return Error::from_errno("invalid netns path: stat " + net->path);
  }
  return ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino;
}

Status check_one_sysctl(const Spec& spec, const std::string& raw_name) {
  const std::string name = with_dot_separators(raw_name);
  const std::string path = "linux.sysctl";
  if (is_ipc_sysctl(name)) {
    if (spec.find_namespace(NamespaceType::ipc)) return {};
    return invalid(path,
                   "sysctl " + in_quotes(name) + " is not allowed in the hosts ipc namespace");
  }
  if (name.starts_with("net.")) {
    auto host = is_host_network(spec.find_namespace(NamespaceType::network));
    if (!host) return invalid(path, host.error().message);
    if (!*host) return {};
    return invalid(path, "sysctl " + in_quotes(name) + " not allowed in host network namespace");
  }
  if (spec.find_namespace(NamespaceType::uts)) {
    if (name == "kernel.domainname") return {};
    if (name == "kernel.hostname") {
      return invalid(path, "sysctl " + in_quotes(name) +
                               " is not allowed as it conflicts with the OCI \"hostname\" field");
    }
  }
  if (name.starts_with("user.")) {
    if (spec.find_namespace(NamespaceType::user)) return {};
    return invalid(path, "setting ucounts without a user namespace not allowed: " + name);
  }
  return invalid(path, "sysctl " + in_quotes(name) + " is not in a separate kernel namespace");
}

// linux.resources.devices: the device cgroup rules ("" and "a" both mean every type). As runc,
// access letters other than r, w and m are ignored ("rwa" is "rw"); an access naming none of
// them would allow nothing (runc then fails at the cgroup, "resulting devices cgroup doesn't
// precisely match target"). An empty one fails in the cgroup code with runc's wording.
Status check_device_rules(const Spec& spec) {
  if (!spec.linux->resources) return {};
  const auto& rules = spec.linux->resources->devices;
  for (size_t i = 0; i < rules.size(); ++i) {
    const DeviceRule& rule = rules[i];
    const std::string path = at("linux.resources.devices", i);
    if (!rule.type.empty() && rule.type != "a" && rule.type != "b" && rule.type != "c") {
      return invalid(path + ".type", "invalid cgroup device type " + in_quotes(rule.type));
    }
    if (!rule.access.empty() && rule.access.find_first_of("rwm") == std::string::npos) {
      return invalid(path + ".access", "invalid cgroup device access " + in_quotes(rule.access) +
                                           ": names none of r, w, m");
    }
  }
  return {};
}

}  // namespace

std::optional<uint32_t> map_id(const std::vector<IdMapping>& mappings, uint32_t id) {
  for (const IdMapping& m : mappings) {
    if (id >= m.container_id && uint64_t{id} < uint64_t{m.container_id} + m.size) {
      return m.host_id + (id - m.container_id);
    }
  }
  return std::nullopt;
}

Status check_namespaces(const Spec& spec) {
  const auto& namespaces = namespaces_of(spec);
  std::set<NamespaceType> seen;
  for (size_t i = 0; i < namespaces.size(); ++i) {
    const Namespace& ns = namespaces[i];
    if (!seen.insert(ns.type).second) {
      return invalid(at("linux.namespaces", i), "malformed spec file: duplicated ns " +
                                                    in_quotes(namespace_type_name(ns.type)));
    }
    if (!ns.path.empty() && !is_absolute(ns.path)) {
      return invalid(at("linux.namespaces", i) + ".path",
                     in_quotes(ns.path) + " is not an absolute path");
    }
  }
  return {};
}

// The runtime-spec: a hook's path is absolute, its timeout (when given) above zero.
Status check_hooks(const Spec& spec) {
  if (!spec.hooks) return {};
  const Hooks& hooks = *spec.hooks;
  for (const auto& [list, name] : {std::pair{&hooks.prestart, "hooks.prestart"},
                                   std::pair{&hooks.create_runtime, "hooks.createRuntime"},
                                   std::pair{&hooks.create_container, "hooks.createContainer"},
                                   std::pair{&hooks.start_container, "hooks.startContainer"},
                                   std::pair{&hooks.poststart, "hooks.poststart"},
                                   std::pair{&hooks.poststop, "hooks.poststop"}}) {
    for (size_t i = 0; i < list->size(); ++i) {
      const Hook& hook = (*list)[i];
      if (!is_absolute(hook.path))
        return invalid(at(name, i) + ".path", in_quotes(hook.path) + " is not an absolute path");
      if (hook.timeout && *hook.timeout <= 0)
        return invalid(at(name, i) + ".timeout",
                       std::to_string(*hook.timeout) + " is not greater than zero");
    }
  }
  return {};
}

// runc's rules and wording; the clocks are the two a time namespace can offset.
Status check_time_offsets(const Spec& spec) {
  if (!spec.linux) return {};
  const auto& offsets = spec.linux->time_offsets;
  const Namespace* time = spec.find_namespace(NamespaceType::time);
  if (!time) {
    if (offsets.empty()) return {};
    return invalid("linux.timeOffsets",
                   "time namespace offsets specified, but time namespace isn't enabled in the "
                   "config");
  }
  if (!time->path.empty() && !offsets.empty()) {
    return invalid("linux.timeOffsets",
                   "time namespace enabled, but both namespace path and time offsets specified "
                   "-- you may only provide one");
  }
  for (const auto& [clock, offset] : offsets) {
    if (clock != "monotonic" && clock != "boottime")
      return invalid("linux.timeOffsets." + clock,
                     "unknown clock " + in_quotes(clock) + " (monotonic or boottime)");
    if (offset.nanosecs >= 1000000000)
      return invalid("linux.timeOffsets." + clock + ".nanosecs",
                     std::to_string(offset.nanosecs) + " is not below 1000000000");
  }
  return {};
}

Status check_uts_and_paths(const Spec& spec) {
  bool own_uts = spec.find_namespace(NamespaceType::uts) != nullptr;
  if (!spec.hostname.empty() && !own_uts) {
    return invalid("hostname", "unable to set hostname without a private UTS namespace");
  }
  if (!spec.domainname.empty() && !own_uts) {
    return invalid("domainname", "unable to set domainname without a private UTS namespace");
  }
  if (!spec.linux) return {};
  for (const auto& [paths, name] :
       {std::pair{&spec.linux->masked_paths, "linux.maskedPaths"},
        std::pair{&spec.linux->readonly_paths, "linux.readonlyPaths"}}) {
    if (!paths->empty() && !spec.find_namespace(NamespaceType::mount)) {
      return invalid(name, "unable to restrict sys entries without a private MNT namespace");
    }
    for (size_t i = 0; i < paths->size(); ++i) {
      if (!is_absolute((*paths)[i])) {
        return invalid(at(name, i), in_quotes((*paths)[i]) + " is not an absolute path");
      }
    }
  }
  static constexpr std::string_view kPropagations[] = {
      "shared", "slave", "private", "unbindable", "rshared", "rslave", "rprivate", "runbindable"};
  const std::string& propagation = spec.linux->rootfs_propagation;
  if (!propagation.empty() && std::find(std::begin(kPropagations), std::end(kPropagations),
                                        propagation) == std::end(kPropagations)) {
    return invalid("linux.rootfsPropagation",
                   "rootfsPropagation=" + propagation + " is not supported");
  }
  return {};
}

Status check_sysctl(const Spec& spec) {
  if (!spec.linux) return {};
  for (const auto& [name, value] : spec.linux->sysctl) BURROW_TRY(check_one_sysctl(spec, name));
  return {};
}

Status check_devices(const Spec& spec) {
  if (!spec.linux) return {};
  const auto& devices = spec.linux->devices;
  for (size_t i = 0; i < devices.size(); ++i) {
    const Device& device = devices[i];
    const std::string path = at("linux.devices", i);
    if (device.type != "c" && device.type != "b" && device.type != "u" && device.type != "p") {
      return invalid(path + ".type", "invalid device type " + in_quotes(device.type));
    }
    if (!is_absolute(device.path)) {
      return invalid(path + ".path", in_quotes(device.path) + " is not an absolute path");
    }
  }
  return check_device_rules(spec);
}

}  // namespace burrow::spec::validate_parts
