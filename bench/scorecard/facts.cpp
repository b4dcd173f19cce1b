#include "scorecard/facts.hpp"

#include <unistd.h>

#include <array>
#include <sstream>

namespace burrow::bench {

namespace {

using nlohmann::json;

constexpr std::array<const char*, 41> kCapabilityNames = {"CHOWN",
                                                          "DAC_OVERRIDE",
                                                          "DAC_READ_SEARCH",
                                                          "FOWNER",
                                                          "FSETID",
                                                          "KILL",
                                                          "SETGID",
                                                          "SETUID",
                                                          "SETPCAP",
                                                          "LINUX_IMMUTABLE",
                                                          "NET_BIND_SERVICE",
                                                          "NET_BROADCAST",
                                                          "NET_ADMIN",
                                                          "NET_RAW",
                                                          "IPC_LOCK",
                                                          "IPC_OWNER",
                                                          "SYS_MODULE",
                                                          "SYS_RAWIO",
                                                          "SYS_CHROOT",
                                                          "SYS_PTRACE",
                                                          "SYS_PACCT",
                                                          "SYS_ADMIN",
                                                          "SYS_BOOT",
                                                          "SYS_NICE",
                                                          "SYS_RESOURCE",
                                                          "SYS_TIME",
                                                          "SYS_TTY_CONFIG",
                                                          "MKNOD",
                                                          "LEASE",
                                                          "AUDIT_WRITE",
                                                          "AUDIT_CONTROL",
                                                          "SETFCAP",
                                                          "MAC_OVERRIDE",
                                                          "MAC_ADMIN",
                                                          "SYSLOG",
                                                          "WAKE_ALARM",
                                                          "BLOCK_SUSPEND",
                                                          "AUDIT_READ",
                                                          "PERFMON",
                                                          "BPF",
                                                          "CHECKPOINT_RESTORE"};

// Capabilities that hand out the host (or its kernel) when held over host resources.
bool dangerous_capability(int bit) {
  switch (bit) {
    case 2:
    case 12:
    case 16:
    case 17:
    case 19:
    case 21:
    case 22:
    case 38:
    case 39:
      return true;
    default:
      return false;
  }
}

std::string text_of(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "null";
  return value.dump();
}

Fact unknown(std::string id, std::string group, std::string title, std::string why) {
  return {std::move(id), std::move(group), std::move(title), "unknown", false, std::move(why)};
}

void namespace_facts(const json& probe, const HostNamespaces& host, std::vector<Fact>& facts) {
  for (const char* type : {"user", "mnt", "pid", "net", "ipc", "uts", "cgroup", "time"}) {
    std::string id = std::string("ns.") + type;
    std::string title = std::string("shares the host's ") + type + " namespace";
    const json* mine = probe.contains("namespaces") ? &probe["namespaces"] : nullptr;
    auto host_link = host.find(type);
    if (mine == nullptr || !mine->contains(type) || !(*mine)[type].is_string() ||
        host_link == host.end()) {
      facts.push_back(unknown(id, "namespaces", title, "the probe or the host did not report it"));
      continue;
    }
    std::string link = (*mine)[type].get<std::string>();
    bool shared = link == host_link->second;
    facts.push_back({id, "namespaces", title, shared ? "shared" : "own", !shared,
                     "container " + link + ", host " + host_link->second});
  }
}

void identity_facts(const json& probe, std::vector<Fact>& facts) {
  const char* title = "host uid of the container's root";
  if (!probe.contains("uid_map") || !probe["uid_map"].is_string()) {
    facts.push_back(unknown("identity.root_host_uid", "identity", title, "no uid_map"));
    return;
  }
  std::string map = probe["uid_map"].get<std::string>();
  std::istringstream lines(map);
  std::string host_uid = "unmapped";
  std::string evidence;  // the map's lines, spaces collapsed, joined by "; "
  bool safe = true;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    unsigned long inside = 0, outside = 0, count = 0;
    if (!(words >> inside >> outside >> count)) continue;
    evidence += (evidence.empty() ? "" : "; ") + std::to_string(inside) + " " +
                std::to_string(outside) + " " + std::to_string(count);
    if (inside == 0 && count > 0) {
      host_uid = std::to_string(outside);
      safe = outside != 0;
    }
  }
  facts.push_back({"identity.root_host_uid", "identity", title, host_uid, safe,
                   "/proc/self/uid_map: " + evidence});
}

int last_capability(const json& probe) {
  if (probe.contains("cap_last_cap") && probe["cap_last_cap"].is_string()) {
    try {
      return std::stoi(probe["cap_last_cap"].get<std::string>());
    } catch (const std::exception&) {
    }
  }
  return static_cast<int>(kCapabilityNames.size()) - 1;
}

// Whether the probe ran in a user namespace other than the host's.
bool own_user_namespace(const json& probe, const HostNamespaces& host) {
  auto host_user = host.find("user");
  const json namespaces = probe.value("namespaces", json::object());
  return host_user != host.end() && namespaces.contains("user") && namespaces["user"].is_string() &&
         namespaces["user"].get<std::string>() != host_user->second;
}

// Capabilities held in a user namespace of the container's own act on its own namespaces only:
// there a dangerous one is reported in the evidence but does not make the fact unsafe.
void capability_facts(const json& probe, bool own_userns, std::vector<Fact>& facts) {
  const json status = probe.value("status", json::object());
  int total = last_capability(probe) + 1;
  const std::array<std::array<const char*, 3>, 3> sets = {
      {{"CapBnd", "bounding", "capabilities in the bounding set"},
       {"CapEff", "effective", "capabilities in the effective set"},
       {"CapAmb", "ambient", "capabilities in the ambient set"}}};
  for (const auto& [key, name, title] : sets) {
    std::string id = std::string("caps.") + name;
    if (!status.contains(key)) {
      facts.push_back(unknown(id, "capabilities", title, std::string("no ") + key));
      continue;
    }
    std::string mask = status[key].get<std::string>();
    auto bits = capability_bits(mask);
    std::string dangerous;
    for (int bit : bits) {
      if (dangerous_capability(bit))
        dangerous += (dangerous.empty() ? "" : " ") + capability_name(bit);
    }
    bool safe = std::string(name) == "ambient" ? bits.empty() : dangerous.empty() || own_userns;
    std::string value = std::to_string(bits.size()) + "/" + std::to_string(total);
    std::string evidence = std::string(key) + ": " + mask;
    if (!dangerous.empty()) {
      evidence += " (dangerous: " + dangerous +
                  (own_userns ? "; held in the container's own user namespace)" : ")");
    }
    facts.push_back({id, "capabilities", title, value, safe, evidence});
  }
}

void seccomp_facts(const json& probe, std::vector<Fact>& facts) {
  const json status = probe.value("status", json::object());
  if (status.contains("NoNewPrivs")) {
    bool on = text_of(status["NoNewPrivs"]) == "1";
    facts.push_back({"nnp", "seccomp", "no_new_privs set", on ? "yes" : "no", on,
                     "NoNewPrivs: " + text_of(status["NoNewPrivs"])});
  } else {
    facts.push_back(unknown("nnp", "seccomp", "no_new_privs set", "no NoNewPrivs"));
  }
  if (status.contains("Seccomp")) {
    std::string mode = text_of(status["Seccomp"]);
    std::string value = mode == "2" ? "filter" : mode == "1" ? "strict" : "disabled";
    std::string filters =
        status.contains("Seccomp_filters") ? text_of(status["Seccomp_filters"]) : "?";
    facts.push_back({"seccomp", "seccomp", "seccomp mode", value, mode != "0",
                     "Seccomp: " + mode + ", Seccomp_filters: " + filters});
  } else {
    facts.push_back(unknown("seccomp", "seccomp", "seccomp mode", "no Seccomp field"));
  }
}

void syscall_facts(const json& probe, std::vector<Fact>& facts) {
  const json calls = probe.value("syscalls", json::object());
  for (const auto& [name, result] : calls.items()) {
    std::string id = "syscall." + name;
    std::string title = "reaches the kernel: " + name;
    std::string err = result.contains("errno") && result["errno"].is_string()
                          ? result["errno"].get<std::string>()
                          : "";
    long ret = result.value("ret", -1L);
    // Refused before doing anything: by seccomp (EPERM/ENOSYS/EACCES) or for want of a capability.
    bool blocked = ret < 0 && (err == "EPERM" || err == "ENOSYS" || err == "EACCES");
    std::string value = blocked   ? "blocked (" + err + ")"
                        : ret < 0 ? "reached (" + err + ")"
                                  : "allowed";
    std::string evidence =
        result.value("call", name) + " = " + std::to_string(ret) + (err.empty() ? "" : " " + err);
    facts.push_back({id, "syscalls", title, value, blocked, evidence});
  }
}

void read_facts(const json& probe, std::vector<Fact>& facts) {
  const json reads = probe.value("reads", json::object());
  for (const auto& [path, result] : reads.items()) {
    bool ok = result.value("ok", false);
    std::string err = result.contains("errno") ? text_of(result["errno"]) : "";
    std::string detail =
        result.contains("bytes")     ? std::to_string(result["bytes"].get<long>()) + " bytes"
        : result.contains("entries") ? std::to_string(result["entries"].get<long>()) + " entries"
                                     : err;
    facts.push_back({"read." + path, "host-info", "readable: " + path,
                     ok ? "readable" : "not readable", !ok,
                     "read " + path + ": " + (ok ? detail : err)});
  }
}

void write_facts(const json& probe, std::vector<Fact>& facts) {
  const json writes = probe.value("writes", json::object());
  for (const auto& [key, result] : writes.items()) {
    bool ok = result.value("ok", false);
    std::string path = result.value("path", key);
    bool limit = key.rfind("cgroup ", 0) == 0 && key.find("limit") != std::string::npos;
    std::string title = limit ? "can raise its " + key : "writable: " + key;
    facts.push_back({"write." + key, "host-write", title, ok ? "writable" : "not writable", !ok,
                     "open " + path + " O_WRONLY (nothing written): " +
                         (ok ? std::string("ok") : text_of(result["errno"]))});
  }
}

bool standard_device(const json& node) {
  // The OCI default devices (null, zero, full, random, urandom, tty), the pty mux and console.
  int major = node.value("major", -1), minor = node.value("minor", -1);
  if (node.value("type", "") != "char") return false;
  if (major == 1 && (minor == 3 || minor == 5 || minor == 7 || minor == 8 || minor == 9))
    return true;
  if (major == 5 && (minor == 0 || minor == 1 || minor == 2)) return true;
  return major == 136;  // /dev/pts/N
}

void device_facts(const json& probe, std::vector<Fact>& facts) {
  const json devices = probe.value("devices", json::object());
  if (!devices.contains("nodes")) {
    facts.push_back(unknown("dev.extra_nodes", "devices", "device nodes beyond the OCI defaults",
                            "no /dev listing"));
  } else {
    std::string extra;
    int count = 0;
    for (const auto& node : devices["nodes"]) {
      if (standard_device(node)) continue;
      ++count;
      if (count <= 8) {
        extra += (extra.empty() ? "" : ", ") + node.value("path", "?") + " (" +
                 std::to_string(node.value("major", -1)) + ":" +
                 std::to_string(node.value("minor", -1)) + ")";
      }
    }
    if (count > 8) extra += ", ...";
    facts.push_back({"dev.extra_nodes", "devices", "device nodes beyond the OCI defaults",
                     std::to_string(count), count == 0,
                     count == 0 ? "/dev holds only the defaults" : extra});
  }
  if (devices.contains("mknod_mem")) {
    const json& mem = devices["mknod_mem"];
    bool ok = mem.value("ok", false);
    facts.push_back(
        {"dev.mknod_mem", "devices", "can make and open /dev/mem (c 1:1)", ok ? "yes" : "no", !ok,
         mem.value("step", "?") + ": " + (ok ? std::string("ok") : text_of(mem["errno"]))});
  } else {
    facts.push_back(
        unknown("dev.mknod_mem", "devices", "can make and open /dev/mem (c 1:1)", "not probed"));
  }
}

}  // namespace

std::vector<int> capability_bits(const std::string& hex_mask) {
  std::vector<int> bits;
  unsigned long long mask = 0;
  try {
    mask = std::stoull(hex_mask, nullptr, 16);
  } catch (const std::exception&) {
    return bits;
  }
  for (int bit = 0; bit < 64; ++bit) {
    if (mask & (1ULL << bit)) bits.push_back(bit);
  }
  return bits;
}

std::string capability_name(int bit) {
  if (bit >= 0 && bit < static_cast<int>(kCapabilityNames.size())) {
    return std::string("CAP_") + kCapabilityNames[static_cast<size_t>(bit)];
  }
  return "CAP_" + std::to_string(bit);
}

HostNamespaces read_host_namespaces() {
  HostNamespaces host;
  for (const char* type : {"mnt", "pid", "net", "ipc", "uts", "user", "cgroup", "time"}) {
    char target[256];
    std::string link = std::string("/proc/self/ns/") + type;
    ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
    if (n >= 0) host[type] = std::string(target, static_cast<size_t>(n));
  }
  return host;
}

std::vector<Fact> facts_from_probe(const json& probe, const HostNamespaces& host) {
  std::vector<Fact> facts;
  namespace_facts(probe, host, facts);
  identity_facts(probe, facts);
  capability_facts(probe, own_user_namespace(probe, host), facts);
  seccomp_facts(probe, facts);
  syscall_facts(probe, facts);
  read_facts(probe, facts);
  write_facts(probe, facts);
  device_facts(probe, facts);
  return facts;
}

json to_json(const Fact& fact) {
  return {{"id", fact.id},       {"group", fact.group}, {"title", fact.title},
          {"value", fact.value}, {"safe", fact.safe},   {"evidence", fact.evidence}};
}

}  // namespace burrow::bench
