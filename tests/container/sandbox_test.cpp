#include "container/sandbox.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace burrow::container {
namespace {

using nlohmann::json;

// What dockerd sends for `docker run busybox` (trimmed): its default capabilities, its seccomp
// profile (no mount or unshare without CAP_SYS_ADMIN), masks and read-only paths.
json docker_config() {
  return json::parse(R"({
    "ociVersion": "1.0.2",
    "process": {"user": {"uid": 0, "gid": 0}, "args": ["sh"], "cwd": "/",
      "capabilities": {
        "bounding": ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_SETUID", "CAP_SETGID", "CAP_KILL"],
        "effective": ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_SETUID", "CAP_SETGID", "CAP_KILL"],
        "permitted": ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_SETUID", "CAP_SETGID", "CAP_KILL"]}},
    "root": {"path": "/var/lib/docker/overlay2/x/merged"},
    "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
               {"destination": "/sys", "type": "sysfs", "source": "sysfs",
                "options": ["nosuid", "noexec", "nodev", "ro"]}],
    "linux": {
      "namespaces": [{"type": "mount"}, {"type": "network"}, {"type": "uts"}, {"type": "pid"},
                     {"type": "ipc"}],
      "sysctl": {"net.ipv4.ping_group_range": "0 2147483647"},
      "maskedPaths": ["/proc/asound", "/proc/kcore", "/proc/keys", "/sys/firmware"],
      "readonlyPaths": ["/proc/bus", "/proc/sys", "/proc/sysrq-trigger"],
      "resources": {"devices": [{"allow": false, "access": "rwm"},
                                {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]},
      "seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
                  "syscalls": [{"names": ["read", "write", "clone"], "action": "SCMP_ACT_ALLOW"}]}
    }
  })");
}

// `docker run --privileged`: every capability, no seccomp, every host device.
json privileged_config() {
  json c = docker_config();
  for (const char* set : {"bounding", "effective", "permitted"})
    c["process"]["capabilities"][set] = {"CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_SYS_MODULE",
                                         "CAP_SYS_RAWIO", "CAP_NET_ADMIN"};
  c["linux"].erase("seccomp");
  c["linux"]["maskedPaths"] = json::array();
  c["linux"]["readonlyPaths"] = json::array();
  c["linux"]["devices"] = json::parse(R"([
    {"path": "/dev/null", "type": "c", "major": 1, "minor": 3},
    {"path": "/dev/ptmx", "type": "c", "major": 5, "minor": 2},
    {"path": "/dev/sda", "type": "b", "major": 8, "minor": 0},
    {"path": "/dev/kmsg", "type": "c", "major": 1, "minor": 11},
    {"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229}])");
  c["linux"]["resources"]["devices"] = json::parse(R"([{"allow": true, "access": "rwm"}])");
  return c;
}

SandboxHost host() {
  SandboxHost h;
  h.has_fuse = true;
  h.has_tun = true;
  h.is_host_namespace = [](const std::string&, const std::string& path) {
    return path.rfind("/proc/1/", 0) == 0;
  };
  h.capabilities = {"CAP_CHOWN", "CAP_KILL", "CAP_SYS_ADMIN", "CAP_NET_ADMIN", "CAP_SYS_MODULE"};
  h.can_idmap = [](const std::string& path) { return path.rfind("/var/lib/", 0) == 0; };
  return h;
}

std::vector<std::string> strings(const json& array) {
  std::vector<std::string> out;
  for (const auto& item : array)
    out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  return out;
}

std::vector<std::string> device_paths(const json& config) {
  std::vector<std::string> out;
  for (const auto& d : config["linux"]["devices"]) out.push_back(d["path"]);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& item) {
  return std::find(v.begin(), v.end(), item) != v.end();
}

TEST(Sandbox, RequestedByFlagOrAnnotation) {
  GlobalOptions global;
  json c = docker_config();
  EXPECT_FALSE(*sandbox_requested(global, c));
  c["annotations"]["run.burrow.sandbox"] = "true";
  EXPECT_TRUE(*sandbox_requested(global, c));
  c["annotations"]["run.burrow.sandbox"] = "false";
  EXPECT_FALSE(*sandbox_requested(global, c));
  global.sandbox = true;
  EXPECT_TRUE(*sandbox_requested(global, c));
  c["annotations"]["run.burrow.sandbox"] = "yes";
  auto bad = sandbox_requested(global, c);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message,
            "annotation run.burrow.sandbox: invalid value \"yes\": want true or false");
}

TEST(Sandbox, AnEnginesContainerBecomesASystemContainer) {
  json c = docker_config();
  auto rewrite = sandbox_config(c, host());
  ASSERT_TRUE(rewrite.ok()) << rewrite.error().message;
  EXPECT_FALSE(rewrite->privileged);
  EXPECT_TRUE(rewrite->warnings.empty());
  EXPECT_EQ(c["annotations"]["run.burrow.userns"], "auto");
  EXPECT_EQ(c["annotations"]["run.burrow.cgroup.delegate"], "true");
  EXPECT_EQ(c["annotations"]["run.burrow.sandbox"], "true");
  std::vector<std::string> types;
  for (const auto& ns : c["linux"]["namespaces"]) types.push_back(ns["type"]);
  EXPECT_TRUE(has(types, "cgroup"));
  EXPECT_TRUE(c["linux"]["maskedPaths"].empty());
  EXPECT_TRUE(c["linux"]["readonlyPaths"].empty());
  EXPECT_EQ(c["mounts"][1]["options"], json({"nosuid", "noexec", "nodev"}));
  // dockerd's "all groups" may ping shrinks to the groups that map.
  EXPECT_EQ(c["linux"]["sysctl"]["net.ipv4.ping_group_range"], "0 65535");
  auto bounding = strings(c["process"]["capabilities"]["bounding"]);
  EXPECT_TRUE(has(bounding, "CAP_SYS_ADMIN"));
  EXPECT_TRUE(has(bounding, "CAP_KILL"));  // the engine's stay
  // Every capability the runtime holds, in the container's user namespace.
  EXPECT_TRUE(has(bounding, "CAP_SYS_MODULE"));
  // The engine's filter blocked mount: the dind profile's replaces it.
  bool mount_allowed = false;
  for (const auto& rule : c["linux"]["seccomp"]["syscalls"])
    mount_allowed |= rule["action"] == "SCMP_ACT_ALLOW" && !rule.contains("args") &&
                     has(strings(rule["names"]), "mount");
  EXPECT_TRUE(mount_allowed) << c["linux"]["seccomp"].dump();
  EXPECT_EQ(device_paths(c), (std::vector<std::string>{"/dev/fuse", "/dev/net/tun"}));
}

TEST(Sandbox, AFilterThatAllowsMountsStays) {
  json c = docker_config();
  c["linux"]["seccomp"]["syscalls"][0]["names"] = {"mount", "umount2", "unshare", "setns", "clone"};
  json before = c["linux"]["seccomp"];
  ASSERT_TRUE(sandbox_config(c, host()).ok());
  EXPECT_EQ(c["linux"]["seccomp"], before);
}

TEST(Sandbox, ANonRootProcessGetsNoMoreCapabilities) {
  json c = docker_config();
  c["process"]["user"]["uid"] = 1000;
  ASSERT_TRUE(sandbox_config(c, host()).ok());
  EXPECT_FALSE(has(strings(c["process"]["capabilities"]["bounding"]), "CAP_SYS_ADMIN"));
}

TEST(Sandbox, PrivilegedIsPrivilegedInsideOnly) {
  json c = privileged_config();
  auto rewrite = sandbox_config(c, host());
  ASSERT_TRUE(rewrite.ok()) << rewrite.error().message;
  EXPECT_TRUE(rewrite->privileged);
  EXPECT_EQ(rewrite->withheld_devices, (std::vector<std::string>{"/dev/sda", "/dev/kmsg"}));
  ASSERT_EQ(rewrite->warnings.size(), 1u);
  EXPECT_EQ(rewrite->warnings[0],
            "sandbox mode: --privileged is privileged inside the sandbox only; host devices "
            "withheld: /dev/sda, /dev/kmsg");
  EXPECT_EQ(device_paths(c),
            (std::vector<std::string>{"/dev/null", "/dev/ptmx", "/dev/fuse", "/dev/net/tun"}));
  // The cgroup rules deny first and allow only the safe set.
  const json& rules = c["linux"]["resources"]["devices"];
  EXPECT_EQ(rules[0]["allow"], false);
  for (size_t i = 1; i < rules.size(); ++i) {
    EXPECT_EQ(rules[i]["type"], "c");
    EXPECT_NE(rules[i]["major"], 8);
  }
  EXPECT_EQ(rules.size(), 10u);                 // deny all + the nine safe devices
  EXPECT_TRUE(c["linux"].contains("seccomp"));  // no filter at all became the dind profile's
  EXPECT_EQ(c["annotations"]["run.burrow.userns"], "auto");
}

TEST(Sandbox, HostDevicesWithoutPrivilegedAreRefused) {
  json c = docker_config();
  c["linux"]["devices"] =
      json::parse(R"([{"path": "/dev/sda", "type": "b", "major": 8, "minor": 0}])");
  auto rewrite = sandbox_config(c, host());
  ASSERT_FALSE(rewrite.ok());
  EXPECT_EQ(rewrite.error().message,
            "sandbox mode: linux.devices[0] /dev/sda (b 8:0) is a host device (--device): a "
            "sandboxed container gets only null, zero, full, random, urandom, tty, ptmx, fuse "
            "and net/tun");
}

TEST(Sandbox, HostNamespacesAreRefusedByOption) {
  struct Case {
    const char* type;
    const char* message;
  };
  for (const Case& test : {
           Case{"pid",
                "sandbox mode: linux.namespaces has no pid namespace: the container would share "
                "the host's processes (--pid=host); a sandboxed container has its own"},
           Case{"network",
                "sandbox mode: linux.namespaces has no network namespace: the container would "
                "share the host's network (--net=host); a sandboxed container has its own"},
           Case{"ipc",
                "sandbox mode: linux.namespaces has no ipc namespace: the container would share "
                "the host's IPC objects (--ipc=host); a sandboxed container has its own"},
       }) {
    json c = docker_config();
    json kept = json::array();
    for (const auto& ns : c["linux"]["namespaces"])
      if (ns["type"] != test.type) kept.push_back(ns);
    c["linux"]["namespaces"] = kept;
    auto rewrite = sandbox_config(c, host());
    ASSERT_FALSE(rewrite.ok()) << test.type;
    EXPECT_EQ(rewrite.error().message, test.message);
  }
  json joined = docker_config();
  joined["linux"]["namespaces"][3]["path"] = "/proc/1/ns/pid";
  auto rewrite = sandbox_config(joined, host());
  ASSERT_FALSE(rewrite.ok());
  EXPECT_EQ(rewrite.error().message,
            "sandbox mode: linux.namespaces joins the host's pid namespace (/proc/1/ns/pid): the "
            "container would share the host's processes (--pid=host); a sandboxed container has "
            "its own");
  // Another container's namespace (docker --pid=container:NAME) is fine.
  json other = docker_config();
  other["linux"]["namespaces"][3]["path"] = "/proc/4242/ns/pid";
  EXPECT_TRUE(sandbox_config(other, host()).ok());
}

TEST(Sandbox, UserNamespaces) {
  // The engine's own range (dockerd --userns-remap) is kept; no lease.
  json remapped = docker_config();
  remapped["linux"]["namespaces"].push_back({{"type", "user"}});
  remapped["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 231072}, {"size", 65536}}};
  remapped["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 231072}, {"size", 65536}}};
  ASSERT_TRUE(sandbox_config(remapped, host()).ok());
  EXPECT_FALSE(remapped["annotations"].contains("run.burrow.userns"));
  EXPECT_EQ(remapped["linux"]["sysctl"]["net.ipv4.ping_group_range"], "0 65535");
  // Maps onto host root, or the host's namespace: refused.
  json to_root = remapped;
  to_root["linux"]["gidMappings"][0]["hostID"] = 0;
  auto rewrite = sandbox_config(to_root, host());
  ASSERT_FALSE(rewrite.ok());
  EXPECT_EQ(rewrite.error().message,
            "sandbox mode: linux.gidMappings[0] maps container id 0 to host root (--userns=host): "
            "a sandboxed container's ids are never the host's root");
  json host_userns = docker_config();
  host_userns["linux"]["namespaces"].push_back({{"type", "user"}, {"path", "/proc/1/ns/user"}});
  rewrite = sandbox_config(host_userns, host());
  ASSERT_FALSE(rewrite.ok());
  EXPECT_EQ(rewrite.error().message,
            "sandbox mode: linux.namespaces joins the host's user namespace (/proc/1/ns/user) "
            "(--userns=host): a sandboxed container has its own");
}

TEST(Sandbox, ExplicitDelegationChoiceIsKept) {
  json c = docker_config();
  c["annotations"]["run.burrow.cgroup.delegate"] = "false";
  ASSERT_TRUE(sandbox_config(c, host()).ok());
  EXPECT_EQ(c["annotations"]["run.burrow.cgroup.delegate"], "false");
}

TEST(Sandbox, BindsAreIdmappedWhereTheirFilesystemAllows) {
  json c = docker_config();
  c["mounts"].push_back(json::parse(R"({"destination": "/etc/hosts", "type": "bind",
      "source": "/var/lib/docker/containers/x/hosts", "options": ["rbind", "rprivate"]})"));
  c["mounts"].push_back(json::parse(R"({"destination": "/data", "type": "bind",
      "source": "/nfs/data", "options": ["rbind"]})"));
  c["mounts"].push_back(json::parse(R"({"destination": "/mine", "type": "bind",
      "source": "/var/lib/mine", "options": ["rbind", "idmap"]})"));
  ASSERT_TRUE(sandbox_config(c, host()).ok());
  EXPECT_EQ(c["mounts"][2]["options"], json({"rbind", "rprivate", "idmap"}));
  EXPECT_EQ(c["mounts"][3]["options"], json({"rbind"}));  // its filesystem cannot be idmapped
  EXPECT_EQ(c["mounts"][4]["options"], json({"rbind", "idmap"}));  // asked for already
  EXPECT_FALSE(has(strings(c["mounts"][0].value("options", json::array())), "idmap"));  // proc
}

TEST(Sandbox, FuseAndTunOnlyWhereTheHostHasThem) {
  json c = docker_config();
  SandboxHost bare = host();
  bare.has_fuse = false;
  bare.has_tun = false;
  ASSERT_TRUE(sandbox_config(c, bare).ok());
  EXPECT_TRUE(device_paths(c).empty());
}

}  // namespace
}  // namespace burrow::container
