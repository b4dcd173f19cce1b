#include "scorecard/facts.hpp"

#include <gtest/gtest.h>

namespace burrow::bench {
namespace {

using nlohmann::json;

const Fact& find(const std::vector<Fact>& facts, const std::string& id) {
  for (const auto& fact : facts) {
    if (fact.id == id) return fact;
  }
  static Fact missing{"missing", "", "", "", false, ""};
  return missing;
}

HostNamespaces host() {
  return {{"user", "user:[4026531837]"},     {"mnt", "mnt:[4026531841]"},
          {"pid", "pid:[4026531836]"},       {"net", "net:[4026531840]"},
          {"ipc", "ipc:[4026531839]"},       {"uts", "uts:[4026531838]"},
          {"cgroup", "cgroup:[4026531835]"}, {"time", "time:[4026531834]"}};
}

// What the probe printed in a runc --privileged-like container (trimmed).
json privileged_probe() {
  return json::parse(R"json({
    "namespaces": {"user": "user:[4026531837]", "mnt": "mnt:[4026532900]", "pid": "pid:[4026532901]",
                   "net": "net:[4026532902]", "ipc": "ipc:[4026532903]", "uts": "uts:[4026532904]",
                   "cgroup": "cgroup:[4026531835]", "time": "time:[4026531834]"},
    "uid_map": "         0          0 4294967295\n",
    "uid": 0,
    "status": {"CapBnd": "000001ffffffffff", "CapEff": "000001ffffffffff", "CapAmb": "0000000000000000",
               "NoNewPrivs": "0", "Seccomp": "0", "Seccomp_filters": "0"},
    "cap_last_cap": "40\n",
    "syscalls": {"bpf": {"call": "bpf(BPF_PROG_LOAD, NULL, 0)", "ret": -1, "errno": "EFAULT"},
                 "keyctl": {"call": "keyctl(...)", "ret": 123, "errno": null}},
    "writes": {"/proc/sysrq-trigger": {"ok": true, "errno": null},
               "cgroup memory limit": {"path": "/sys/fs/cgroup/memory/memory.limit_in_bytes", "ok": false,
                                       "errno": "EROFS"}},
    "reads": {"/proc/kcore": {"ok": true, "bytes": 64, "errno": null},
              "/sys/firmware": {"ok": false, "errno": "empty"}},
    "devices": {"nodes": [{"path": "/dev/null", "type": "char", "major": 1, "minor": 3},
                          {"path": "/dev/sda", "type": "block", "major": 8, "minor": 0}],
                "mknod_mem": {"step": "open", "ok": true, "errno": null}}
  })json");
}

TEST(Facts, PrivilegedContainerShowsEveryCapabilityAndNoSeccomp) {
  auto facts = facts_from_probe(privileged_probe(), host());
  EXPECT_EQ(find(facts, "caps.bounding").value, "41/41");
  EXPECT_FALSE(find(facts, "caps.bounding").safe);
  EXPECT_NE(find(facts, "caps.bounding").evidence.find("CAP_SYS_ADMIN"), std::string::npos);
  EXPECT_EQ(find(facts, "caps.effective").value, "41/41");
  EXPECT_EQ(find(facts, "caps.ambient").value, "0/41");
  EXPECT_TRUE(find(facts, "caps.ambient").safe);
  EXPECT_EQ(find(facts, "seccomp").value, "disabled");
  EXPECT_EQ(find(facts, "seccomp").evidence, "Seccomp: 0, Seccomp_filters: 0");
  EXPECT_EQ(find(facts, "nnp").value, "no");
  EXPECT_EQ(find(facts, "identity.root_host_uid").value, "0");
  EXPECT_EQ(find(facts, "identity.root_host_uid").evidence, "/proc/self/uid_map: 0 0 4294967295");
}

TEST(Facts, NamespacesComparedWithTheHost) {
  auto facts = facts_from_probe(privileged_probe(), host());
  EXPECT_EQ(find(facts, "ns.user").value, "shared");
  EXPECT_FALSE(find(facts, "ns.user").safe);
  EXPECT_EQ(find(facts, "ns.net").value, "own");
  EXPECT_TRUE(find(facts, "ns.net").safe);
  EXPECT_EQ(find(facts, "ns.net").evidence, "container net:[4026532902], host net:[4026531840]");
}

TEST(Facts, SyscallsReadsAndDevices) {
  auto facts = facts_from_probe(privileged_probe(), host());
  EXPECT_EQ(find(facts, "syscall.bpf").value, "reached (EFAULT)");
  EXPECT_FALSE(find(facts, "syscall.bpf").safe);
  EXPECT_EQ(find(facts, "syscall.bpf").evidence, "bpf(BPF_PROG_LOAD, NULL, 0) = -1 EFAULT");
  EXPECT_EQ(find(facts, "syscall.keyctl").value, "allowed");
  EXPECT_EQ(find(facts, "read./proc/kcore").value, "readable");
  EXPECT_EQ(find(facts, "read./sys/firmware").value, "not readable");
  EXPECT_EQ(find(facts, "dev.extra_nodes").value, "1");
  EXPECT_EQ(find(facts, "dev.extra_nodes").evidence, "/dev/sda (8:0)");
  EXPECT_EQ(find(facts, "dev.mknod_mem").value, "yes");
  EXPECT_EQ(find(facts, "write./proc/sysrq-trigger").value, "writable");
  EXPECT_FALSE(find(facts, "write./proc/sysrq-trigger").safe);
  EXPECT_EQ(find(facts, "write./proc/sysrq-trigger").group, "host-write");
  const Fact& limit = find(facts, "write.cgroup memory limit");
  EXPECT_EQ(limit.title, "can raise its cgroup memory limit");
  EXPECT_EQ(limit.value, "not writable");
  EXPECT_TRUE(limit.safe);
  EXPECT_EQ(limit.evidence,
            "open /sys/fs/cgroup/memory/memory.limit_in_bytes O_WRONLY (nothing written): EROFS");
}

TEST(Facts, ConfinedContainer) {
  json probe = privileged_probe();
  probe["namespaces"]["user"] = "user:[4026533000]";
  probe["uid_map"] = "0 1879048192 65536\n";
  probe["status"] = {{"CapBnd", "00000000a80425fb"},
                     {"CapEff", "00000000a80425fb"},
                     {"CapAmb", "0000000000000000"},
                     {"NoNewPrivs", "1"},
                     {"Seccomp", "2"},
                     {"Seccomp_filters", "1"}};
  probe["syscalls"]["bpf"] = {{"call", "bpf"}, {"ret", -1}, {"errno", "EPERM"}};
  auto facts = facts_from_probe(probe, host());
  EXPECT_EQ(find(facts, "identity.root_host_uid").value, "1879048192");
  EXPECT_TRUE(find(facts, "identity.root_host_uid").safe);
  EXPECT_EQ(find(facts, "caps.bounding").value, "14/41");
  EXPECT_TRUE(find(facts, "caps.bounding").safe);
  EXPECT_EQ(find(facts, "seccomp").value, "filter");
  EXPECT_TRUE(find(facts, "nnp").safe);
  EXPECT_EQ(find(facts, "syscall.bpf").value, "blocked (EPERM)");
  EXPECT_TRUE(find(facts, "syscall.bpf").safe);
}

TEST(Facts, DangerousCapabilitiesInAnOwnUserNamespaceAreNamespaced) {
  json probe = privileged_probe();
  probe["namespaces"]["user"] = "user:[4026533000]";
  auto facts = facts_from_probe(probe, host());
  EXPECT_EQ(find(facts, "caps.bounding").value, "41/41");
  EXPECT_TRUE(find(facts, "caps.bounding").safe);
  EXPECT_NE(
      find(facts, "caps.bounding").evidence.find("held in the container's own user namespace"),
      std::string::npos);
}

TEST(Facts, MissingFieldsAreUnknownWithAReason) {
  auto facts = facts_from_probe(json::object(), host());
  EXPECT_EQ(find(facts, "ns.user").value, "unknown");
  EXPECT_FALSE(find(facts, "ns.user").safe);
  EXPECT_EQ(find(facts, "seccomp").evidence, "no Seccomp field");
  for (const auto& fact : facts) EXPECT_FALSE(fact.evidence.empty()) << fact.id;
}

TEST(Facts, CapabilityBitsAndNames) {
  EXPECT_EQ(capability_bits("0000000000000005"), (std::vector<int>{0, 2}));
  EXPECT_TRUE(capability_bits("zz").empty());
  EXPECT_EQ(capability_name(21), "CAP_SYS_ADMIN");
  EXPECT_EQ(capability_name(40), "CAP_CHECKPOINT_RESTORE");
  EXPECT_EQ(capability_name(50), "CAP_50");
}

}  // namespace
}  // namespace burrow::bench
