#include "container/sandbox.hpp"

#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <sstream>

#include "container/userns_auto.hpp"
#include "linux/capabilities.hpp"
#include "spec/profiles.hpp"

namespace burrow::container {
namespace {

using nlohmann::json;

constexpr const char* kDelegateAnnotation = "run.burrow.cgroup.delegate";

Error refused(const std::string& reason) {
  return Error::msg("sandbox mode: " + reason, EINVAL);
}

// The namespaces a sandboxed container never shares with the host, and the engine option that
// asks for sharing.
struct HostNamespace {
  const char* type;
  const char* what;
  const char* option;
};
constexpr std::array<HostNamespace, 3> kOwnNamespaces{{
    {"pid", "processes", "--pid=host"},
    {"network", "network", "--net=host"},
    {"ipc", "IPC objects", "--ipc=host"},
}};

// Devices a sandboxed container may have: harmless pseudo-devices, and fuse and tun, whose
// kernel side checks the caller's namespaces.
struct SafeDevice {
  const char* path;
  int major;
  int minor;
};
constexpr std::array<SafeDevice, 9> kSafeDevices{{
    {"/dev/null", 1, 3},
    {"/dev/zero", 1, 5},
    {"/dev/full", 1, 7},
    {"/dev/random", 1, 8},
    {"/dev/urandom", 1, 9},
    {"/dev/tty", 5, 0},
    {"/dev/ptmx", 5, 2},
    {"/dev/fuse", 10, 229},
    {"/dev/net/tun", 10, 200},
}};

bool is_safe_device(const json& device) {
  if (device.value("type", "") != "c") return false;
  int major = device.value("major", -1);
  int minor = device.value("minor", -1);
  return std::any_of(kSafeDevices.begin(), kSafeDevices.end(), [&](const SafeDevice& safe) {
    return safe.major == major && safe.minor == minor;
  });
}

std::string describe_device(const json& device) {
  return device.value("path", "?") + " (" + device.value("type", "?") + " " +
         std::to_string(device.value("major", -1)) + ":" +
         std::to_string(device.value("minor", -1)) + ")";
}

json* find_namespace(json& config, const std::string& type) {
  json& namespaces = config["linux"]["namespaces"];
  if (!namespaces.is_array()) return nullptr;
  for (auto& ns : namespaces)
    if (ns.value("type", "") == type) return &ns;
  return nullptr;
}

Status refuse_host_namespaces(json& config, const SandboxHost& host) {
  for (const auto& own : kOwnNamespaces) {
    json* ns = find_namespace(config, own.type);
    if (!ns)
      return refused(std::string("linux.namespaces has no ") + own.type +
                     " namespace: the container would share the host's " + own.what + " (" +
                     own.option + "); a sandboxed container has its own");
    std::string path = ns->value("path", "");
    if (!path.empty() && host.is_host_namespace && host.is_host_namespace(own.type, path))
      return refused(std::string("linux.namespaces joins the host's ") + own.type + " namespace (" +
                     path + "): the container would share the host's " + own.what + " (" +
                     own.option + "); a sandboxed container has its own");
  }
  return {};
}

Status refuse_host_root_maps(const json& linux_section) {
  for (const char* field : {"uidMappings", "gidMappings"}) {
    const json& mappings = linux_section.value(field, json::array());
    for (size_t i = 0; i < mappings.size(); ++i) {
      uint64_t host_id = mappings[i].value("hostID", uint64_t{1});
      uint64_t size = mappings[i].value("size", uint64_t{0});
      if (host_id == 0 && size > 0)
        return refused(std::string("linux.") + field + "[" + std::to_string(i) +
                       "] maps container id " +
                       std::to_string(mappings[i].value("containerID", uint64_t{0})) +
                       " to host root (--userns=host): a sandboxed container's ids are never "
                       "the host's root");
    }
  }
  return {};
}

// dockerd asks every container for ping sockets for all groups ("0 2147483647"); in a user
// namespace the kernel takes only groups that map there, so the range shrinks to the mapped ones
// (the leased 65536, or the engine's map from 0).
void clamp_ping_group_range(json& config, uint64_t mapped_gids) {
  json& sysctl = config["linux"]["sysctl"];
  if (!sysctl.is_object() || !sysctl.contains("net.ipv4.ping_group_range")) return;
  std::istringstream range(sysctl["net.ipv4.ping_group_range"].get<std::string>());
  uint64_t low = 0, high = 0;
  if (!(range >> low >> high) || mapped_gids == 0 || high < mapped_gids) return;
  if (low >= mapped_gids) low = mapped_gids - 1;
  sysctl["net.ipv4.ping_group_range"] = std::to_string(low) + " " + std::to_string(mapped_gids - 1);
}

// How many gids from 0 up map into the container's user namespace.
uint64_t gids_mapped_from_zero(const json& linux_section) {
  uint64_t end = 0;
  for (const auto& m : linux_section.value("gidMappings", json::array()))
    if (m.value("containerID", uint64_t{1}) <= end)
      end = std::max(end, m.value("containerID", uint64_t{0}) + m.value("size", uint64_t{0}));
  return end;
}

// A user namespace of its own: the engine's (unless it is the host's), else a leased range.
Status give_user_namespace(json& config, const SandboxHost& host) {
  json* user = find_namespace(config, "user");
  if (!user) {
    config["annotations"][kUsernsAnnotation] = "auto";
    clamp_ping_group_range(config, state::kIdRangeSize);
    return {};
  }
  std::string path = user->value("path", "");
  if (!path.empty() && host.is_host_namespace && host.is_host_namespace("user", path))
    return refused("linux.namespaces joins the host's user namespace (" + path +
                   ") (--userns=host): a sandboxed container has its own");
  BURROW_TRY(refuse_host_root_maps(config["linux"]));
  clamp_ping_group_range(config, gids_mapped_from_zero(config["linux"]));
  return {};
}

// Entries under /proc and /sys: a nested procfs or sysfs may be mounted only where the kernel
// sees those fully visible.
void drop_proc_and_sys_entries(json& linux_section, const char* field) {
  json& paths = linux_section[field];
  if (!paths.is_array()) {
    linux_section.erase(field);
    return;
  }
  json kept = json::array();
  for (const auto& path : paths) {
    std::string text = path.is_string() ? path.get<std::string>() : "";
    bool under = text == "/proc" || text.rfind("/proc/", 0) == 0 || text == "/sys" ||
                 text.rfind("/sys/", 0) == 0;
    if (!under) kept.push_back(path);
  }
  paths = kept;
}

// A read-only sysfs superblock counts as locked read-only, so the kernel lets no nested sysfs be
// mounted read-write (a privileged inner container's). The container owns its network
// namespace: what it may write there is its own interfaces; the rest of sysfs is host root's.
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

bool has_option(const json& mount, const std::string& name) {
  if (!mount.contains("options") || !mount["options"].is_array()) return false;
  for (const auto& option : mount["options"])
    if (option == name) return true;
  return false;
}

// Binds keep their files' owners inside: idmapped with the container's maps where the source's
// filesystem allows (the runtime makes the idmapped clone at create, runtime-spec 1.2's `idmap`).
void idmap_binds(json& config, const SandboxHost& host) {
  if (!config.contains("mounts") || !config["mounts"].is_array() || !host.can_idmap) return;
  for (auto& mount : config["mounts"]) {
    bool bind = mount.value("type", "") == "bind" || has_option(mount, "bind") ||
                has_option(mount, "rbind");
    if (!bind || has_option(mount, "idmap") || has_option(mount, "ridmap") ||
        mount.contains("uidMappings") || !host.can_idmap(mount.value("source", "")))
      continue;
    mount["options"].push_back("idmap");
  }
}

json device_entry(const SafeDevice& device) {
  return {{"path", device.path},
          {"type", "c"},
          {"major", device.major},
          {"minor", device.minor},
          {"fileMode", 0666},
          {"uid", 0},
          {"gid", 0}};
}

json device_rule(const SafeDevice& device) {
  return {{"allow", true},
          {"type", "c"},
          {"major", device.major},
          {"minor", device.minor},
          {"access", "rwm"}};
}

Status restrict_devices(json& config, SandboxRewrite& rewrite, const SandboxHost& host) {
  json& linux_section = config["linux"];
  json devices = linux_section.value("devices", json::array());
  json kept = json::array();
  for (size_t i = 0; i < devices.size(); ++i) {
    if (is_safe_device(devices[i])) {
      kept.push_back(devices[i]);
      continue;
    }
    if (!rewrite.privileged)
      return refused("linux.devices[" + std::to_string(i) + "] " + describe_device(devices[i]) +
                     " is a host device (--device): a sandboxed container gets only null, zero, "
                     "full, random, urandom, tty, ptmx, fuse and net/tun");
    rewrite.withheld_devices.push_back(devices[i].value("path", "?"));
  }
  json& rules = linux_section["resources"]["devices"];
  if (rewrite.privileged || !rules.is_array())
    rules = json::array({{{"allow", false}, {"access", "rwm"}}});
  for (const auto& safe : kSafeDevices) {
    bool present = std::any_of(kept.begin(), kept.end(), [&](const json& d) {
      return d.value("major", -1) == safe.major && d.value("minor", -1) == safe.minor;
    });
    bool wanted = (safe.major == 10 && safe.minor == 229 && host.has_fuse) ||
                  (safe.major == 10 && safe.minor == 200 && host.has_tun);
    if (!present && wanted) kept.push_back(device_entry(safe));
    if (present || wanted || rewrite.privileged) rules.push_back(device_rule(safe));
  }
  linux_section["devices"] = kept;
  return {};
}

bool allows_unconditionally(const json& seccomp, const std::string& name) {
  std::string default_action = seccomp.value("defaultAction", "");
  if (default_action == "SCMP_ACT_ALLOW" || default_action == "SCMP_ACT_LOG") return true;
  for (const auto& rule : seccomp.value("syscalls", json::array())) {
    std::string action = rule.value("action", "");
    if (action != "SCMP_ACT_ALLOW" && action != "SCMP_ACT_LOG") continue;
    if (rule.contains("args") && !rule["args"].empty()) continue;
    for (const auto& listed : rule.value("names", json::array()))
      if (listed == name) return true;
  }
  return false;
}

// The engine's filter stays when it lets a system container mount and make namespaces; else
// (or without one: --privileged) the dind profile's, which allows those and blocks the rest.
Result<bool> choose_seccomp(json& linux_section, const json& dind) {
  if (linux_section.contains("seccomp") && linux_section["seccomp"].is_object()) {
    const json& ours = linux_section["seccomp"];
    bool enough = true;
    for (const char* name : {"mount", "umount2", "unshare", "setns", "clone"})
      enough &= allows_unconditionally(ours, name);
    if (enough) return false;
  }
  linux_section["seccomp"] = dind["linux"]["seccomp"];
  return true;
}

void add_capabilities(json& process, const std::vector<std::string>& all) {
  json& caps = process["capabilities"];
  for (const char* set : {"bounding", "effective", "permitted"}) {
    json& have = caps[set];
    if (!have.is_array()) have = json::array();
    for (const auto& cap : all)
      if (std::find(have.begin(), have.end(), cap) == have.end()) have.push_back(cap);
  }
}

bool has_capability(const json& config, const std::string& name) {
  const json* bounding = nullptr;
  if (config.contains("process") && config["process"].contains("capabilities"))
    bounding = &config["process"]["capabilities"];
  if (!bounding || !bounding->contains("bounding")) return false;
  const json& set = (*bounding)["bounding"];
  return std::find(set.begin(), set.end(), name) != set.end();
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

Result<bool> sandbox_requested(const GlobalOptions& global, const json& config) {
  bool annotated = false;
  if (config.contains("annotations") && config["annotations"].is_object() &&
      config["annotations"].contains(kSandboxAnnotation)) {
    const json& value = config["annotations"][kSandboxAnnotation];
    std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    if (text != "true" && text != "false")
      return Error::msg(std::string("annotation ") + kSandboxAnnotation + ": invalid value \"" +
                            text + "\": want true or false",
                        EINVAL);
    annotated = text == "true";
  }
  return global.sandbox || annotated;
}

SandboxHost detect_sandbox_host() {
  SandboxHost host;
  host.has_fuse = ::access("/dev/fuse", F_OK) == 0;
  host.has_tun = ::access("/dev/net/tun", F_OK) == 0;
  // "The host's" as the runtime sees it: its own namespaces (/proc/1/ns may be out of reach).
  host.is_host_namespace = [](const std::string& type, const std::string& path) {
    static constexpr std::array<std::pair<const char*, const char*>, 4> kFiles{
        {{"pid", "pid"}, {"network", "net"}, {"ipc", "ipc"}, {"user", "user"}}};
    for (const auto& [name, file] : kFiles) {
      if (type != name) continue;
      struct stat ours {};
      struct stat theirs {};
      std::string own = std::string("/proc/self/ns/") + file;
      if (::stat(own.c_str(), &ours) < 0 || ::stat(path.c_str(), &theirs) < 0) return false;
      return ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino;
    }
    return false;
  };
  if (auto held = linux::current_bounding_set()) host.capabilities = linux::capability_names(*held);
  host.can_idmap = [](const std::string& path) {
    struct statfs fs {};
    if (path.empty() || ::statfs(path.c_str(), &fs) < 0) return false;
    switch (static_cast<unsigned long>(fs.f_type)) {
      case EXT4_SUPER_MAGIC:
      case XFS_SUPER_MAGIC:
      case BTRFS_SUPER_MAGIC:
      case TMPFS_MAGIC:
        return true;
      default:
        return false;
    }
  };
  return host;
}

Result<SandboxRewrite> sandbox_config(json& config, const SandboxHost& host) {
  if (!config.is_object()) return refused("config.json is not a JSON object");
  if (!config.contains("linux") || !config["linux"].is_object()) config["linux"] = json::object();
  SandboxRewrite rewrite;
  BURROW_TRY(refuse_host_namespaces(config, host));
  BURROW_TRY(give_user_namespace(config, host));
  rewrite.privileged = has_capability(config, "CAP_SYS_ADMIN") &&
                       has_capability(config, "CAP_SYS_MODULE") &&
                       has_capability(config, "CAP_SYS_RAWIO");
  BURROW_TRY(restrict_devices(config, rewrite, host));

  json& linux_section = config["linux"];
  if (!find_namespace(config, "cgroup"))
    linux_section["namespaces"].push_back({{"type", "cgroup"}});
  json& annotations = config["annotations"];
  if (!annotations.contains(kDelegateAnnotation)) annotations[kDelegateAnnotation] = "true";
  annotations[kSandboxAnnotation] = "true";
  drop_proc_and_sys_entries(linux_section, "maskedPaths");
  drop_proc_and_sys_entries(linux_section, "readonlyPaths");
  make_sysfs_writable(config);
  idmap_binds(config, host);

  json dind = BURROW_TRY(spec::load_profile("dind"));
  BURROW_TRY(choose_seccomp(linux_section, dind));
  json& process = config["process"];
  uint64_t uid = process.contains("user") ? process["user"].value("uid", uint64_t{0}) : 0;
  if (uid == 0) add_capabilities(process, host.capabilities);
  if (rewrite.privileged && !rewrite.withheld_devices.empty())
    rewrite.warnings.push_back(
        "sandbox mode: --privileged is privileged inside the sandbox only; host devices "
        "withheld: " +
        joined(rewrite.withheld_devices));
  return rewrite;
}

}  // namespace burrow::container
