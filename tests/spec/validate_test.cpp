#include "spec/validate.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "spec/parse.hpp"

namespace burrow::spec {
namespace {

using nlohmann::json;

// A valid, runc-like config; each test breaks one thing.
json valid_document() {
  return json::parse(R"({
    "ociVersion": "1.2.0",
    "root": {"path": "rootfs", "readonly": true},
    "process": {"args": ["sh"], "cwd": "/", "user": {"uid": 0, "gid": 0},
                "capabilities": {"bounding": ["CAP_KILL", "CAP_CHOWN"]},
                "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}]},
    "hostname": "box",
    "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
               {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
                "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]}],
    "linux": {
      "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"},
                     {"type": "mount"}],
      "resources": {"devices": [{"allow": false, "access": "rwm"}]},
      "maskedPaths": ["/proc/kcore"], "readonlyPaths": ["/proc/sys"]
    }
  })");
}

json user_namespace_document() {
  json doc = valid_document();
  doc["linux"]["namespaces"].push_back({{"type", "user"}});
  doc["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 1000}}};
  doc["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 1000}}};
  return doc;
}

class Validate : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/burrow-bundle-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    bundle_ = tmpl;
    ASSERT_EQ(mkdir((bundle_ + "/rootfs").c_str(), 0755), 0);
    std::ofstream(bundle_ + "/file") << "x";
  }
  void TearDown() override { std::system(("rm -rf " + bundle_).c_str()); }

  // "" when valid, else the error text.
  std::string check(const json& document, bool rootless = false) {
    auto spec = parse_config(document);
    if (!spec.ok()) return "parse: " + spec.error().message;
    Status status = validate_config(*spec, ValidationContext{bundle_, rootless});
    return status.ok() ? "" : status.error().message;
  }

  std::string bundle_;
};

TEST_F(Validate, ValidDocumentPasses) {
  EXPECT_EQ(check(valid_document()), "");
  EXPECT_EQ(check(user_namespace_document()), "");
  EXPECT_EQ(check(user_namespace_document(), /*rootless=*/true), "");
}

// runc never reads ociVersion: every string runs (those outside 1.x.y get a debug line).
TEST_F(Validate, AnyVersionIsAccepted) {
  for (const char* version :
       {"1.0.2-dev", "1.2.0", "1.0.0-rc5+dev", "1.1.0-rc.1", "1.0.0", "1.10.3", "1.2.0+build.7",
        "0.9.0", "0.5.0", "2.0.0", "", "abc", "foo", "1.x", "1.0", "v1.2.0", "1.2.0-"}) {
    json doc = valid_document();
    doc["ociVersion"] = version;
    EXPECT_EQ(check(doc), "") << version;
  }
  json doc = valid_document();
  doc.erase("ociVersion");
  EXPECT_EQ(check(doc), "");
}

// linux.memoryPolicy: names, the node list and the kernel's combination rules, by field.
TEST_F(Validate, MemoryPolicy) {
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"mode", "MPOL_BIND"}, {"nodes", "0-1,3"}}, ""},
      {{{"mode", "MPOL_INTERLEAVE"}, {"nodes", "0"}, {"flags", {"MPOL_F_RELATIVE_NODES"}}}, ""},
      {{{"mode", "MPOL_PREFERRED"}}, ""},
      {{{"mode", "MPOL_PREFERRED"}, {"nodes", "2"}, {"flags", {"MPOL_F_STATIC_NODES"}}}, ""},
      {{{"mode", "MPOL_PREFERRED_MANY"}, {"nodes", "0"}, {"flags", {"MPOL_F_NUMA_BALANCING"}}}, ""},
      {{{"mode", "MPOL_WEIGHTED_INTERLEAVE"}, {"nodes", "0,1"}}, ""},
      {{{"mode", "MPOL_LOCAL"}}, ""},
      {{{"mode", "MPOL_DEFAULT"}, {"nodes", ""}}, ""},
      {{{"mode", "bind"}, {"nodes", "0"}},
       "config.json: linux.memoryPolicy.mode: invalid memory policy mode \"bind\""},
      {{{"mode", "MPOL_BIND"}, {"nodes", "0-"}},
       "config.json: linux.memoryPolicy.nodes: invalid memory policy nodes \"0-\": \"\" is not a "
       "node number"},
      {{{"mode", "MPOL_BIND"}, {"nodes", "3-1"}},
       "config.json: linux.memoryPolicy.nodes: invalid memory policy nodes \"3-1\": range 3-1 "
       "goes backwards"},
      {{{"mode", "MPOL_BIND"}, {"nodes", "0,1024"}},
       "config.json: linux.memoryPolicy.nodes: invalid memory policy nodes \"0,1024\": node 1024 "
       "is above 1023"},
      {{{"mode", "MPOL_BIND"}, {"nodes", "0"}, {"flags", {"MPOL_F_STATIC_NODES", "STATIC"}}},
       "config.json: linux.memoryPolicy.flags[1]: invalid memory policy flag \"STATIC\""},
      {{{"mode", "MPOL_BIND"}},
       "config.json: linux.memoryPolicy: MPOL_BIND: the mode needs at least one node"},
      {{{"mode", "MPOL_LOCAL"}, {"nodes", "0"}},
       "config.json: linux.memoryPolicy: MPOL_LOCAL: the mode takes no nodes"},
      {{{"mode", "MPOL_BIND"},
        {"nodes", "0"},
        {"flags", {"MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES"}}},
       "config.json: linux.memoryPolicy: MPOL_BIND: MPOL_F_STATIC_NODES and "
       "MPOL_F_RELATIVE_NODES exclude each other"},
      {{{"mode", "MPOL_PREFERRED"}, {"flags", {"MPOL_F_STATIC_NODES"}}},
       "config.json: linux.memoryPolicy: MPOL_PREFERRED: MPOL_F_STATIC_NODES and "
       "MPOL_F_RELATIVE_NODES need nodes to apply to"},
      {{{"mode", "MPOL_INTERLEAVE"}, {"nodes", "0"}, {"flags", {"MPOL_F_NUMA_BALANCING"}}},
       "config.json: linux.memoryPolicy: MPOL_INTERLEAVE: MPOL_F_NUMA_BALANCING goes with "
       "MPOL_BIND or MPOL_PREFERRED_MANY only"},
  };
  for (const auto& [policy, expected] : cases) {
    json doc = valid_document();
    doc["linux"]["memoryPolicy"] = policy;
    EXPECT_EQ(check(doc), expected) << policy;
  }
}

TEST_F(Validate, Root) {
  json doc = valid_document();
  doc.erase("root");
  EXPECT_EQ(check(doc), "config.json: root.path: root must be specified");
  doc["root"] = {{"path", "missing"}};
  EXPECT_EQ(check(doc), "config.json: root.path: invalid rootfs: stat " + bundle_ +
                            "/missing: No such file or directory");
  doc["root"] = {{"path", "file"}};
  EXPECT_EQ(check(doc),
            "config.json: root.path: invalid rootfs: " + bundle_ + "/file is not a directory");
  doc["root"] = {{"path", bundle_ + "/rootfs"}};
  EXPECT_EQ(check(doc), "");
}

TEST_F(Validate, Process) {
  json doc = valid_document();
  doc.erase("process");
  EXPECT_EQ(check(doc), "config.json: process: process property must not be empty");
  doc = valid_document();
  doc["process"]["cwd"] = "";
  EXPECT_EQ(check(doc), "config.json: process.cwd: Cwd property must not be empty");
  doc["process"]["cwd"] = "work";
  EXPECT_EQ(check(doc), "config.json: process.cwd: Cwd must be an absolute path");
  doc = valid_document();
  doc["process"]["args"] = json::array();
  EXPECT_EQ(check(doc), "config.json: process.args: args must not be empty");
  doc = valid_document();
  doc["process"]["consoleSize"] = {{"height", 1}, {"width", 1}};
  EXPECT_EQ(check(doc),
            "config.json: process.consoleSize: consoleSize requires terminal to be true");
}

TEST_F(Validate, OomScoreAdj) {
  json doc = valid_document();
  doc["process"]["oomScoreAdj"] = -1000;
  EXPECT_EQ(check(doc), "");
  doc["process"]["oomScoreAdj"] = 1000;
  EXPECT_EQ(check(doc), "");
  doc["process"]["oomScoreAdj"] = 1001;
  EXPECT_EQ(check(doc), "config.json: process.oomScoreAdj: 1001 is out of range [-1000, 1000]");
  doc["process"]["oomScoreAdj"] = -1001;
  EXPECT_EQ(check(doc), "config.json: process.oomScoreAdj: -1001 is out of range [-1000, 1000]");
}

TEST_F(Validate, Capabilities) {
  json doc = valid_document();
  doc["process"]["capabilities"]["bounding"] = {"CAP_KILL", "CAP_PERFMON", "CAP_BPF", "CAP_FOO"};
  EXPECT_EQ(check(doc),
            "config.json: process.capabilities.bounding[3]: unknown capability \"CAP_FOO\"");
  doc = valid_document();
  doc["process"]["capabilities"]["ambient"] = {"CAP_CHECKPOINT_RESTORE", "kill"};
  EXPECT_EQ(check(doc),
            "config.json: process.capabilities.ambient[1]: unknown capability \"kill\"");
}

TEST_F(Validate, Rlimits) {
  json doc = valid_document();
  doc["process"]["rlimits"].push_back({{"type", "RLIMIT_CORE"}, {"hard", 0}, {"soft", 0}});
  doc["process"]["rlimits"].push_back({{"type", "RLIMIT_NOFILE"}, {"hard", 1}, {"soft", 1}});
  EXPECT_EQ(check(doc), "config.json: process.rlimits[2].type: duplicate rlimit \"RLIMIT_NOFILE\"");
  doc = valid_document();
  doc["process"]["rlimits"][0]["soft"] = 2048;
  EXPECT_EQ(check(doc),
            "config.json: process.rlimits[0]: soft limit 2048 is greater than hard limit 1024");
}

TEST_F(Validate, Namespaces) {
  json doc = valid_document();
  doc["linux"]["namespaces"].push_back({{"type", "pid"}});
  EXPECT_EQ(check(doc),
            "config.json: linux.namespaces[5]: malformed spec file: duplicated ns \"pid\"");
  doc = valid_document();
  doc["linux"]["namespaces"][1]["path"] = "run/netns/x";
  EXPECT_EQ(check(doc),
            "config.json: linux.namespaces[1].path: \"run/netns/x\" is not an absolute path");
}

TEST_F(Validate, UserNamespaceAndMappings) {
  json doc = valid_document();
  doc["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
  EXPECT_EQ(check(doc),
            "config.json: linux.uidMappings: user namespace mappings specified, but "
            "user namespace isn't enabled in the config");
  doc = valid_document();
  doc["linux"]["namespaces"].push_back({{"type", "user"}});
  EXPECT_EQ(check(doc),
            "config.json: linux.namespaces: user namespaces enabled, but no namespace "
            "path to join nor mappings to apply specified");
  doc = user_namespace_document();
  doc["linux"].erase("gidMappings");
  EXPECT_EQ(check(doc),
            "config.json: linux.gidMappings: user namespaces enabled, but no gid mappings found");
  doc = user_namespace_document();
  doc["linux"]["namespaces"][5]["path"] = "/proc/1/ns/user";
  doc["linux"].erase("uidMappings");
  doc["linux"].erase("gidMappings");
  EXPECT_EQ(check(doc), "");  // joining a user namespace needs no mappings
}

TEST_F(Validate, ProcessIdsMustBeMapped) {
  json doc = user_namespace_document();
  doc["process"]["user"]["uid"] = 1000;
  EXPECT_EQ(check(doc),
            "config.json: process.user.uid: user namespaces enabled, but no mapping "
            "found for uid 1000");
  doc = user_namespace_document();
  doc["process"]["user"]["gid"] = 999;
  doc["process"]["user"]["additionalGids"] = {5, 4000};
  EXPECT_EQ(check(doc),
            "config.json: process.user.additionalGids[1]: user namespaces enabled, "
            "but no mapping found for gid 4000");
}

TEST_F(Validate, Rootless) {
  EXPECT_EQ(check(valid_document(), true),
            "config.json: linux.namespaces: rootless container requires user namespaces");
  json doc = user_namespace_document();
  doc["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
  doc["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
  doc["mounts"].push_back({{"destination", "/dev/pts"},
                           {"type", "devpts"},
                           {"source", "devpts"},
                           {"options", {"nosuid", "gid=0", "mode=0620", "gid=5"}}});
  EXPECT_EQ(check(doc, true),
            "config.json: mounts[2].options[3]: cannot specify gid=5 mount option for rootless "
            "container: user namespaces enabled, but no mapping found for gid 5");
  EXPECT_EQ(check(doc, false), "");  // root may map what it likes
}

TEST_F(Validate, HostnameNeedsUtsNamespace) {
  json doc = valid_document();
  doc["linux"]["namespaces"].erase(3);
  EXPECT_EQ(check(doc),
            "config.json: hostname: unable to set hostname without a private UTS namespace");
  doc["hostname"] = "";
  doc["domainname"] = "example.org";
  EXPECT_EQ(check(doc),
            "config.json: domainname: unable to set domainname without a private UTS namespace");
  doc = valid_document();
  doc["linux"]["namespaces"][3]["path"] = "/proc/1/ns/uts";
  EXPECT_EQ(check(doc), "");  // runc: a joined UTS namespace is fine
}

TEST_F(Validate, MaskedAndReadonlyPaths) {
  json doc = valid_document();
  doc["linux"]["maskedPaths"] = {"/proc/kcore", "proc/keys"};
  EXPECT_EQ(check(doc), "config.json: linux.maskedPaths[1]: \"proc/keys\" is not an absolute path");
  doc = valid_document();
  doc["linux"]["readonlyPaths"] = {"sys"};
  EXPECT_EQ(check(doc), "config.json: linux.readonlyPaths[0]: \"sys\" is not an absolute path");
  doc = valid_document();
  doc["linux"]["namespaces"].erase(4);
  EXPECT_EQ(check(doc),
            "config.json: linux.maskedPaths: unable to restrict sys entries without "
            "a private MNT namespace");
}

TEST_F(Validate, RootfsPropagation) {
  json doc = valid_document();
  for (const char* ok : {"", "shared", "slave", "private", "unbindable", "rshared", "rslave",
                         "rprivate", "runbindable"}) {
    doc["linux"]["rootfsPropagation"] = ok;
    EXPECT_EQ(check(doc), "") << ok;
  }
  doc["linux"]["rootfsPropagation"] = "rsharedd";
  EXPECT_EQ(check(doc),
            "config.json: linux.rootfsPropagation: rootfsPropagation=rsharedd is not supported");
}

std::string sysctl_error(const std::string& name) {
  return "config.json: linux.sysctl: sysctl \"" + name + "\" ";
}

TEST_F(Validate, SysctlNeedsItsNamespace) {
  json doc = valid_document();
  doc["linux"]["sysctl"] = {{"kernel.shmmax", "1"},
                            {"kernel.msgmax", "1"},
                            {"fs.mqueue.msg_max", "1"},
                            {"net.ipv4.ip_forward", "1"},
                            {"net/ipv4/conf/all/forwarding", "1"},
                            {"kernel.domainname", "x"}};
  EXPECT_EQ(check(doc), "");
  doc["linux"]["namespaces"].erase(2);  // ipc
  EXPECT_EQ(check(doc),
            sysctl_error("fs.mqueue.msg_max") + "is not allowed in the hosts ipc namespace");
  doc = valid_document();
  doc["linux"]["namespaces"].erase(1);  // network
  doc["linux"]["sysctl"] = {{"net/ipv4/ip_forward", "1"}};
  EXPECT_EQ(check(doc),
            sysctl_error("net.ipv4.ip_forward") + "not allowed in host network namespace");
}

TEST_F(Validate, SysctlInAJoinedNetworkNamespace) {
  json doc = valid_document();
  doc["linux"]["sysctl"] = {{"net.core.somaxconn", "1024"}};
  doc["linux"]["namespaces"][1]["path"] = bundle_ + "/file";  // any other inode: not ours
  EXPECT_EQ(check(doc), "");
  doc["linux"]["namespaces"][1]["path"] = "/proc/self/ns/net";
  EXPECT_EQ(check(doc),
            sysctl_error("net.core.somaxconn") + "not allowed in host network namespace");
  doc["linux"]["namespaces"][1]["path"] = bundle_ + "/none";
  EXPECT_EQ(check(doc), "config.json: linux.sysctl: invalid netns path: stat " + bundle_ +
                            "/none: No such file or directory");
}

TEST_F(Validate, SysctlNotNamespaced) {
  json doc = valid_document();
  doc["linux"]["sysctl"] = {{"vm.swappiness", "10"}};
  EXPECT_EQ(check(doc), sysctl_error("vm.swappiness") + "is not in a separate kernel namespace");
  doc["linux"]["sysctl"] = {{"kernel.hostname", "x"}};
  EXPECT_EQ(check(doc), sysctl_error("kernel.hostname") +
                            "is not allowed as it conflicts with the OCI \"hostname\" field");
  doc["linux"]["sysctl"] = {{"user.max_user_namespaces", "0"}};
  EXPECT_EQ(check(doc),
            "config.json: linux.sysctl: setting ucounts without a user namespace not "
            "allowed: user.max_user_namespaces");
  doc["linux"]["namespaces"].erase(3);  // uts
  doc["hostname"] = "";
  doc["linux"]["sysctl"] = {{"kernel.domainname", "x"}};
  EXPECT_EQ(check(doc),
            sysctl_error("kernel.domainname") + "is not in a separate kernel namespace");
}

TEST_F(Validate, Devices) {
  json doc = valid_document();
  doc["linux"]["devices"] = {{{"type", "p"}, {"path", "/dev/fifo"}},
                             {{"type", "u"}, {"path", "/dev/u"}, {"major", 1}, {"minor", 2}}};
  EXPECT_EQ(check(doc), "");
  doc["linux"]["devices"].push_back(
      {{"type", "x"}, {"path", "/dev/x"}, {"major", 1}, {"minor", 1}});
  EXPECT_EQ(check(doc), "config.json: linux.devices[2].type: invalid device type \"x\"");
  doc["linux"]["devices"][2] = {{"type", "c"}, {"path", "dev/null"}, {"major", 1}, {"minor", 3}};
  EXPECT_EQ(check(doc), "config.json: linux.devices[2].path: \"dev/null\" is not an absolute path");
}

TEST_F(Validate, DeviceCgroupRules) {
  json doc = valid_document();
  doc["linux"]["resources"]["devices"].push_back(
      {{"allow", true}, {"type", "c"}, {"access", "rw"}});
  EXPECT_EQ(check(doc), "");
  doc["linux"]["resources"]["devices"][1]["type"] = "p";
  EXPECT_EQ(check(doc),
            "config.json: linux.resources.devices[1].type: invalid cgroup device type \"p\"");
  doc["linux"]["resources"]["devices"][1]["type"] = "a";
  // runc ignores letters other than r, w, m ...
  for (const char* access : {"rwx", "rwa", "r w", "mrw"}) {
    doc["linux"]["resources"]["devices"][1]["access"] = access;
    EXPECT_EQ(check(doc), "") << access;
  }
  // ... but an access with none of them allows nothing.
  doc["linux"]["resources"]["devices"][1]["access"] = "xyz";
  EXPECT_EQ(check(doc),
            "config.json: linux.resources.devices[1].access: invalid cgroup device access \"xyz\": "
            "names none of r, w, m");
}

TEST_F(Validate, Mounts) {
  json doc = valid_document();
  doc["mounts"].push_back({{"destination", ""}, {"type", "tmpfs"}, {"source", "tmpfs"}});
  EXPECT_EQ(check(doc), "config.json: mounts[2].destination: mount destination must not be empty");
  doc["mounts"][2] = {{"destination", "/data"}, {"type", "bind"}};
  EXPECT_EQ(check(doc), "config.json: mounts[2].source: bind mount needs a source");
  doc["mounts"][2] = {{"destination", "/data"}, {"options", {"rbind", "ro"}}};
  EXPECT_EQ(check(doc), "config.json: mounts[2].source: bind mount needs a source");
  // Filesystem data on a bind is ignored (runc 1.1; the kernel takes none for a bind).
  doc["mounts"][2] = {
      {"destination", "/data"}, {"source", "/srv"}, {"options", {"rbind", "rprivate", "mode=755"}}};
  EXPECT_EQ(check(doc), "");
  doc["mounts"][2]["options"] = {"rbind", "rprivate", "nosuid", "rro"};
  EXPECT_EQ(check(doc), "");
}

// What the runtime writes to /proc must reach procfs: /proc takes a proc filesystem (or a bind,
// checked to be procfs when mounted), and inside it only binds over lxcfs's files.
TEST_F(Validate, MountsOnAndInsideProc) {
  json doc = valid_document();
  doc["mounts"].push_back({{"destination", "/proc"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
  EXPECT_EQ(check(doc),
            "config.json: mounts[2].destination: \"/proc\" may hold only a proc filesystem, not "
            "type \"tmpfs\"");
  doc["mounts"][2] = {{"destination", "/proc/"}, {"type", "proc"}, {"source", "proc"}};
  EXPECT_EQ(check(doc), "");
  doc["mounts"][2] = {{"destination", "/proc"}, {"type", "bind"}, {"source", "/proc"}};
  EXPECT_EQ(check(doc), "");
  doc["mounts"][2] = {{"destination", "/proc/./x/../sys"}, {"type", "bind"}, {"source", "/srv"}};
  EXPECT_EQ(check(doc),
            "config.json: mounts[2].destination: \"/proc/sys\" is inside /proc, where only "
            "lxcfs's files (/proc/cpuinfo, /proc/meminfo, ...) may be mounted");
  doc["mounts"][2] = {{"destination", "/proc/uptime"}, {"type", "tmpfs"}, {"source", "tmpfs"}};
  EXPECT_NE(check(doc), "");  // lxcfs's files take binds only
  doc["mounts"][2] = {{"destination", "/proc/uptime"},
                      {"source", "/var/lib/lxcfs/proc/uptime"},
                      {"options", {"bind"}}};
  EXPECT_EQ(check(doc), "");
  doc["mounts"][2] = {{"destination", "/procs/sys"}, {"type", "tmpfs"}, {"source", "tmpfs"}};
  EXPECT_EQ(check(doc), "");
}

TEST_F(Validate, MountsAcceptFilesystemDataAndRefuseRelativeDestinations) {
  json doc = valid_document();
  doc["mounts"].push_back({{"destination", "/run"},
                           {"type", "tmpfs"},
                           {"source", "tmpfs"},
                           {"options", {"nosuid", "mode=1777", "size=1m", "whatever"}}});
  EXPECT_EQ(check(doc), "");
  doc["mounts"][2]["destination"] = "run";
  EXPECT_EQ(check(doc), "config.json: mounts[2].destination: \"run\" is not an absolute path");
  doc["mounts"][2]["options"] = {"tmpcopyup"};
  doc["mounts"][2]["destination"] = "/run";
  EXPECT_EQ(check(doc), "config.json: mounts[2].options[0]: not supported yet");
  doc["mounts"][2]["options"] = json::array();
  doc["mounts"][2]["destination"] = std::string("/r\0un", 5);
  EXPECT_EQ(check(doc), "config.json: mounts[2]: mount field contains null byte");
}

json idmapped_bind() {
  return {{"destination", "/data"},
          {"type", "bind"},
          {"source", "/srv"},
          {"options", {"rbind"}},
          {"uidMappings", {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}}},
          {"gidMappings", {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}}}};
}

TEST_F(Validate, IdmappedMounts) {
  json doc = valid_document();
  doc["mounts"].push_back(idmapped_bind());
  EXPECT_EQ(check(doc), "");
  doc["mounts"][2]["options"] = {"ridmap"};
  doc["mounts"][2]["type"] = "tmpfs";
  EXPECT_EQ(check(doc), "config.json: mounts[2].uidMappings: idmapped mounts must be bind mounts");
  doc["mounts"][2] = idmapped_bind();
  doc["mounts"][2].erase("gidMappings");
  EXPECT_EQ(check(doc),
            "config.json: mounts[2].gidMappings: idmapped mounts need both uid and gid mappings");
  doc["mounts"][2] = idmapped_bind();
  doc["mounts"][2].erase("uidMappings");
  EXPECT_EQ(check(doc),
            "config.json: mounts[2].uidMappings: idmapped mounts need both uid and gid mappings");
  doc["mounts"][2] = idmapped_bind();
  doc["mounts"][2]["gidMappings"][0]["size"] = 0;
  EXPECT_EQ(check(doc), "config.json: mounts[2].gidMappings[0].size: mapping size must not be 0");
  doc["mounts"][2] = idmapped_bind();
  doc["mounts"][2]["uidMappings"][0] = {{"containerID", 0}, {"hostID", 4294967295u}, {"size", 2}};
  EXPECT_EQ(check(doc),
            "config.json: mounts[2].uidMappings[0]: mapping range overflows 32-bit ids");
}

TEST_F(Validate, IdmapOptionNeedsTheContainerMaps) {
  json doc = valid_document();
  doc["mounts"].push_back({{"destination", "/data"},
                           {"type", "bind"},
                           {"source", "/srv"},
                           {"options", {"bind", "idmap"}}});
  EXPECT_EQ(check(doc),
            "config.json: mounts[2].options[1]: idmapped mount without mappings needs a user "
            "namespace with linux.uidMappings and linux.gidMappings");
  doc["mounts"][2]["options"] = {"idmap"};
  doc["mounts"][2]["type"] = "none";
  EXPECT_EQ(check(doc), "config.json: mounts[2].options[0]: idmapped mounts must be bind mounts");
  doc = user_namespace_document();
  doc["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 1000}}};
  doc["mounts"].push_back(
      {{"destination", "/data"}, {"type", "bind"}, {"source", "/srv"}, {"options", {"ridmap"}}});
  EXPECT_EQ(check(doc), "");
}

TEST_F(Validate, NotSupportedYet) {
  struct Case {
    const char* pointer;  // JSON pointer to set
    json value;
    const char* path;  // expected path in the error
  };
  const Case cases[] = {
      {"/process/execCPUAffinity", {{"initial", "0"}}, "process.execCPUAffinity"},
      {"/linux/resources/network", {{"classID", 1}}, "linux.resources.network"},
      {"/linux/resources/rdma", {{"mlx5_1", {{"hcaHandles", 3}}}}, "linux.resources.rdma"},
      {"/linux/intelRdt", {{"closID", "x"}}, "linux.intelRdt"},
      {"/linux/netDevices", {{"eth0", json::object()}}, "linux.netDevices"},
      {"/windows", {{"layerFolders", json::array()}}, "windows"},
  };
  for (const Case& c : cases) {
    json doc = valid_document();
    doc[json::json_pointer(c.pointer)] = c.value;
    EXPECT_EQ(check(doc), std::string("config.json: ") + c.path + ": not supported yet")
        << c.pointer;
  }
}

// Whether the host runs the LSM is create's question (linux/lsm.hpp); validation accepts them.
TEST_F(Validate, LsmLabelsAreValid) {
  json doc = valid_document();
  doc["process"]["apparmorProfile"] = "docker-default";
  doc["process"]["selinuxLabel"] = "system_u:system_r:container_t:s0";
  doc["linux"]["mountLabel"] = "system_u:object_r:container_file_t:s0";
  EXPECT_EQ(check(doc), "");
}

TEST_F(Validate, HooksNeedAnAbsolutePathAndAPositiveTimeout) {
  json doc = valid_document();
  doc["hooks"]["startContainer"] = {{{"path", "/bin/true"}}, {{"path", "true"}}};
  EXPECT_EQ(check(doc),
            "config.json: hooks.startContainer[1].path: \"true\" is not an absolute path");
  doc["hooks"]["startContainer"] = {{{"path", "/bin/true"}, {"timeout", -1}}};
  EXPECT_EQ(check(doc),
            "config.json: hooks.startContainer[0].timeout: -1 is not greater than zero");
  doc["hooks"]["startContainer"] = {{{"path", "/bin/true"}, {"timeout", 5}}};
  EXPECT_EQ(check(doc), "");
}

TEST_F(Validate, TimeOffsetsNeedANewTimeNamespace) {
  json doc = valid_document();
  doc["linux"]["timeOffsets"] = {{"monotonic", {{"secs", 1}}}};
  EXPECT_EQ(check(doc),
            "config.json: linux.timeOffsets: time namespace offsets specified, but time namespace "
            "isn't enabled in the config");
  doc["linux"]["namespaces"].push_back({{"type", "time"}, {"path", "/proc/1/ns/time"}});
  EXPECT_EQ(check(doc),
            "config.json: linux.timeOffsets: time namespace enabled, but both namespace path and "
            "time offsets specified -- you may only provide one");
  doc["linux"]["namespaces"].back().erase("path");
  EXPECT_EQ(check(doc), "");
}

TEST_F(Validate, TimeOffsetsNameAClockAndAFraction) {
  json doc = valid_document();
  doc["linux"]["namespaces"].push_back({{"type", "time"}});
  doc["linux"]["timeOffsets"] = {{"realtime", {{"secs", 1}}}};
  EXPECT_EQ(check(doc),
            "config.json: linux.timeOffsets.realtime: unknown clock \"realtime\" (monotonic or "
            "boottime)");
  doc["linux"]["timeOffsets"] = {{"boottime", {{"secs", 1}, {"nanosecs", 1000000000}}}};
  EXPECT_EQ(check(doc),
            "config.json: linux.timeOffsets.boottime.nanosecs: 1000000000 is not below 1000000000");
  doc["linux"]["timeOffsets"] = {{"boottime", {{"secs", -5}, {"nanosecs", 999999999}}}};
  EXPECT_EQ(check(doc), "");
}

TEST_F(Validate, EmptyResourcesAndHookListsAreFine) {
  json doc = valid_document();
  doc["hooks"] = {{"prestart", json::array()}};
  doc["linux"]["resources"]["memory"] = json::object();
  doc["linux"]["resources"]["cpu"] = nullptr;
  doc["linux"]["resources"]["pids"] = json::object();
  EXPECT_EQ(check(doc), "");
}

TEST_F(Validate, CgroupResourcesAreAcceptedForTheManagerToApply) {
  json doc = valid_document();
  doc["linux"]["resources"]["memory"] = {{"limit", 1 << 20}};
  doc["linux"]["resources"]["cpu"] = {{"cpus", "0"}, {"shares", 512}};
  doc["linux"]["resources"]["pids"] = {{"limit", 10}};
  doc["linux"]["resources"]["blockIO"] = {{"weight", 10}};
  doc["linux"]["resources"]["hugepageLimits"] = {{{"pageSize", "2MB"}, {"limit", 1}}};
  doc["linux"]["resources"]["unified"] = {{"memory.max", "1"}};
  EXPECT_EQ(check(doc), "");
}

TEST_F(Validate, SchedulerIoPriorityPersonality) {
  json doc = valid_document();
  doc["process"]["scheduler"] = {{"policy", "SCHED_OTHER"}, {"nice", 5}};
  doc["process"]["ioPriority"] = {{"class", "IOPRIO_CLASS_IDLE"}, {"priority", 7}};
  doc["linux"]["personality"] = {{"domain", "LINUX32"}};
  EXPECT_EQ(check(doc), "");
  doc["process"]["scheduler"] = {{"nice", 5}};
  EXPECT_EQ(check(doc), "config.json: process.scheduler.policy: scheduler policy is required");
  doc["process"]["scheduler"] = {{"policy", "SCHED_BATCH"}, {"nice", 20}};
  EXPECT_EQ(check(doc),
            "config.json: process.scheduler.nice: invalid scheduler.nice: 20 when "
            "scheduler.policy is SCHED_BATCH");
  doc["process"]["scheduler"] = {{"policy", "SCHED_OTHER"}, {"priority", 1}};
  EXPECT_EQ(check(doc),
            "config.json: process.scheduler.priority: scheduler.priority can only be "
            "specified for SchedFIFO or SchedRR policy");
  doc["process"]["scheduler"] = {{"policy", "SCHED_FIFO"}, {"priority", 1}};
  doc["process"]["ioPriority"]["priority"] = 8;
  EXPECT_EQ(check(doc), "config.json: process.ioPriority.priority: invalid ioPriority.Priority: 8");
  doc["process"]["ioPriority"] = {{"class", "IOPRIO_CLASS_NONE"}, {"priority", 0}};
  EXPECT_EQ(
      check(doc),
      "config.json: process.ioPriority.class: invalid ioPriority.Class: \"IOPRIO_CLASS_NONE\"");
  doc["process"].erase("ioPriority");
  doc["linux"]["personality"] = {{"domain", "LINUX64"}};
  EXPECT_EQ(check(doc),
            "config.json: linux.personality.domain: invalid personality domain LINUX64");
}

}  // namespace
}  // namespace burrow::spec
