#include "spec/parse.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "spec/names.hpp"

namespace burrow::spec {
namespace {

using nlohmann::json;

json minimal() {
  return json::parse(R"({
    "ociVersion": "1.2.0",
    "root": {"path": "rootfs"},
    "process": {"args": ["sh"], "cwd": "/", "user": {"uid": 0, "gid": 0}}
  })");
}

Spec parse_ok(const json& document) {
  auto spec = parse_config(document);
  EXPECT_TRUE(spec.ok()) << spec.error().message;
  return spec.ok() ? std::move(spec).value() : Spec{};
}

std::string parse_error(const json& document) {
  auto spec = parse_config(document);
  return spec.ok() ? "<parsed>" : spec.error().message;
}

TEST(Parse, TopLevel) {
  json doc = minimal();
  doc["hostname"] = "box";
  doc["domainname"] = "example.org";
  doc["annotations"] = {{"a", "1"}, {"b", "2"}};
  doc["root"]["readonly"] = true;
  Spec spec = parse_ok(doc);
  EXPECT_EQ(spec.oci_version, "1.2.0");
  EXPECT_EQ(spec.root.path, "rootfs");
  EXPECT_TRUE(spec.root.readonly);
  EXPECT_EQ(spec.hostname, "box");
  EXPECT_EQ(spec.domainname, "example.org");
  EXPECT_EQ(spec.annotations.at("b"), "2");
  EXPECT_FALSE(spec.linux.has_value());
  EXPECT_FALSE(spec.hooks.has_value());
  EXPECT_TRUE(spec.unsupported.empty());
}

TEST(Parse, Process) {
  json doc = minimal();
  doc["process"] = json::parse(R"({
    "terminal": true, "consoleSize": {"height": 25, "width": 80},
    "user": {"uid": 1000, "gid": 100, "umask": 18, "additionalGids": [5, 6], "username": "u"},
    "args": ["sh", "-c", "true"], "env": ["A=1"], "cwd": "/work",
    "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_CHOWN"],
                     "inheritable": [], "permitted": ["CAP_KILL", "CAP_BPF"], "ambient": ["CAP_KILL"]},
    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 2048, "soft": 1024},
                {"type": "RLIMIT_RTTIME", "hard": 18446744073709551615, "soft": 0}],
    "noNewPrivileges": true, "apparmorProfile": "p", "oomScoreAdj": -500,
    "selinuxLabel": "l", "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 4},
    "scheduler": {"policy": "SCHED_DEADLINE", "nice": -3, "priority": 2, "flags": ["SCHED_FLAG_RECLAIM"],
                  "runtime": 10, "deadline": 20, "period": 30}
  })");
  Spec spec = parse_ok(doc);
  ASSERT_TRUE(spec.process);
  const Process& p = *spec.process;
  EXPECT_TRUE(p.terminal);
  ASSERT_TRUE(p.console_size);
  EXPECT_EQ(p.console_size->height, 25u);
  EXPECT_EQ(p.console_size->width, 80u);
  EXPECT_EQ(p.user.uid, 1000u);
  EXPECT_EQ(p.user.gid, 100u);
  EXPECT_EQ(p.user.umask, 18u);
  EXPECT_EQ(p.user.additional_gids, (std::vector<uint32_t>{5, 6}));
  EXPECT_EQ(p.user.username, "u");
  EXPECT_EQ(p.args, (std::vector<std::string>{"sh", "-c", "true"}));
  EXPECT_EQ(p.env, (std::vector<std::string>{"A=1"}));
  EXPECT_EQ(p.cwd, "/work");
  ASSERT_TRUE(p.capabilities);
  EXPECT_EQ(p.capabilities->permitted, (std::vector<std::string>{"CAP_KILL", "CAP_BPF"}));
  EXPECT_EQ(p.capabilities->ambient, (std::vector<std::string>{"CAP_KILL"}));
  EXPECT_TRUE(p.capabilities->inheritable.empty());
  ASSERT_EQ(p.rlimits.size(), 2u);
  EXPECT_EQ(p.rlimits[0].resource, RLIMIT_NOFILE);
  EXPECT_EQ(p.rlimits[0].hard, 2048u);
  EXPECT_EQ(p.rlimits[0].soft, 1024u);
  EXPECT_EQ(p.rlimits[1].resource, RLIMIT_RTTIME);
  EXPECT_EQ(p.rlimits[1].hard, UINT64_MAX);
  EXPECT_TRUE(p.no_new_privileges);
  EXPECT_EQ(p.apparmor_profile, "p");
  EXPECT_EQ(p.oom_score_adj, -500);
  EXPECT_EQ(p.selinux_label, "l");
  ASSERT_TRUE(p.io_priority);
  EXPECT_EQ(p.io_priority->io_class, "IOPRIO_CLASS_BE");
  EXPECT_EQ(p.io_priority->priority, 4);
  ASSERT_TRUE(p.scheduler);
  EXPECT_EQ(p.scheduler->policy, "SCHED_DEADLINE");
  EXPECT_EQ(p.scheduler->nice, -3);
  EXPECT_EQ(p.scheduler->priority, 2);
  EXPECT_EQ(p.scheduler->flags, (std::vector<std::string>{"SCHED_FLAG_RECLAIM"}));
  EXPECT_EQ(p.scheduler->runtime, 10u);
  EXPECT_EQ(p.scheduler->deadline, 20u);
  EXPECT_EQ(p.scheduler->period, 30u);
}

TEST(Parse, EveryRlimitName) {
  const char* names[] = {"RLIMIT_AS",     "RLIMIT_CORE",   "RLIMIT_CPU",        "RLIMIT_DATA",
                         "RLIMIT_FSIZE",  "RLIMIT_LOCKS",  "RLIMIT_MEMLOCK",    "RLIMIT_MSGQUEUE",
                         "RLIMIT_NICE",   "RLIMIT_NOFILE", "RLIMIT_NPROC",      "RLIMIT_RSS",
                         "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK"};
  std::set<int> resources;
  for (const char* name : names) {
    auto resource = rlimit_resource(name);
    ASSERT_TRUE(resource) << name;
    resources.insert(*resource);
  }
  EXPECT_EQ(resources.size(), static_cast<size_t>(RLIMIT_NLIMITS));
  EXPECT_EQ(rlimit_resource("RLIMIT_STACK"), RLIMIT_STACK);
  EXPECT_FALSE(rlimit_resource("RLIMIT_FOO"));
}

TEST(Parse, CapabilityNumbers) {
  EXPECT_EQ(capability_number("CAP_CHOWN"), 0);
  EXPECT_EQ(capability_number("CAP_PERFMON"), 38);
  EXPECT_EQ(capability_number("CAP_BPF"), 39);
  EXPECT_EQ(capability_number("CAP_CHECKPOINT_RESTORE"), 40);
  EXPECT_FALSE(capability_number("CAP_FOO"));
  EXPECT_FALSE(capability_number("chown"));
}

TEST(Parse, MountsAndHooks) {
  json doc = minimal();
  doc["mounts"] = json::parse(R"([
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/data", "type": "none", "source": "/srv", "options": ["rbind", "ro"],
     "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
     "gidMappings": [{"containerID": 0, "hostID": 2000, "size": 10}]}
  ])");
  doc["hooks"] = json::parse(R"({
    "prestart": [{"path": "/bin/a", "args": ["a", "1"], "env": ["X=1"], "timeout": 5}],
    "createRuntime": [{"path": "/bin/b"}], "createContainer": [{"path": "/bin/c"}],
    "startContainer": [{"path": "/bin/d"}], "poststart": [{"path": "/bin/e"}],
    "poststop": [{"path": "/bin/f"}, {"path": "/bin/g"}]
  })");
  Spec spec = parse_ok(doc);
  ASSERT_EQ(spec.mounts.size(), 2u);
  EXPECT_EQ(spec.mounts[0].destination, "/proc");
  EXPECT_EQ(spec.mounts[0].type, "proc");
  EXPECT_TRUE(spec.mounts[0].options.empty());
  EXPECT_EQ(spec.mounts[1].source, "/srv");
  EXPECT_EQ(spec.mounts[1].options, (std::vector<std::string>{"rbind", "ro"}));
  ASSERT_EQ(spec.mounts[1].uid_mappings.size(), 1u);
  EXPECT_EQ(spec.mounts[1].uid_mappings[0].host_id, 1000u);
  EXPECT_EQ(spec.mounts[1].gid_mappings[0].size, 10u);
  ASSERT_TRUE(spec.hooks);
  ASSERT_EQ(spec.hooks->prestart.size(), 1u);
  EXPECT_EQ(spec.hooks->prestart[0].path, "/bin/a");
  EXPECT_EQ(spec.hooks->prestart[0].args, (std::vector<std::string>{"a", "1"}));
  EXPECT_EQ(spec.hooks->prestart[0].env, (std::vector<std::string>{"X=1"}));
  EXPECT_EQ(spec.hooks->prestart[0].timeout, 5);
  EXPECT_EQ(spec.hooks->create_runtime[0].path, "/bin/b");
  EXPECT_EQ(spec.hooks->create_container[0].path, "/bin/c");
  EXPECT_EQ(spec.hooks->start_container[0].path, "/bin/d");
  EXPECT_EQ(spec.hooks->poststart[0].path, "/bin/e");
  EXPECT_EQ(spec.hooks->poststop.size(), 2u);
  EXPECT_FALSE(spec.hooks->create_runtime[0].timeout);
}

TEST(Parse, LinuxSection) {
  json doc = minimal();
  doc["linux"] = json::parse(R"({
    "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
    "gidMappings": [{"containerID": 0, "hostID": 200000, "size": 65536}],
    "sysctl": {"net.ipv4.ip_forward": "1"},
    "cgroupsPath": "/burrow/c1",
    "namespaces": [{"type": "pid"}, {"type": "network", "path": "/run/netns/x"}, {"type": "mount"},
                   {"type": "ipc"}, {"type": "uts"}, {"type": "user"}, {"type": "cgroup"},
                   {"type": "time"}],
    "devices": [{"type": "c", "path": "/dev/fuse", "major": 10, "minor": 229, "fileMode": 438,
                 "uid": 0, "gid": 0},
                {"type": "p", "path": "/dev/fifo"}],
    "rootfsPropagation": "rslave",
    "maskedPaths": ["/proc/kcore"], "readonlyPaths": ["/proc/sys"],
    "mountLabel": "m",
    "personality": {"domain": "LINUX32", "flags": []},
    "timeOffsets": {"monotonic": {"secs": -10, "nanosecs": 5}, "boottime": {"secs": 3}}
  })");
  Spec spec = parse_ok(doc);
  ASSERT_TRUE(spec.linux);
  const Linux& l = *spec.linux;
  EXPECT_EQ(l.uid_mappings[0].host_id, 100000u);
  EXPECT_EQ(l.gid_mappings[0].container_id, 0u);
  EXPECT_EQ(l.gid_mappings[0].size, 65536u);
  EXPECT_EQ(l.sysctl.at("net.ipv4.ip_forward"), "1");
  EXPECT_EQ(l.cgroups_path, "/burrow/c1");
  ASSERT_EQ(l.namespaces.size(), 8u);
  EXPECT_EQ(l.namespaces[1].type, NamespaceType::network);
  EXPECT_EQ(l.namespaces[1].path, "/run/netns/x");
  EXPECT_EQ(l.namespaces[7].type, NamespaceType::time);
  EXPECT_EQ(spec.find_namespace(NamespaceType::cgroup), &l.namespaces[6]);
  ASSERT_EQ(l.devices.size(), 2u);
  EXPECT_EQ(l.devices[0].major, 10);
  EXPECT_EQ(l.devices[0].minor, 229);
  EXPECT_EQ(l.devices[0].file_mode, 0666u);
  EXPECT_EQ(l.devices[0].uid, 0u);
  EXPECT_EQ(l.devices[1].type, "p");
  EXPECT_FALSE(l.devices[1].file_mode);
  EXPECT_EQ(l.rootfs_propagation, "rslave");
  EXPECT_EQ(l.masked_paths, (std::vector<std::string>{"/proc/kcore"}));
  EXPECT_EQ(l.readonly_paths, (std::vector<std::string>{"/proc/sys"}));
  EXPECT_EQ(l.mount_label, "m");
  ASSERT_TRUE(l.personality);
  EXPECT_EQ(l.personality->domain, "LINUX32");
  EXPECT_EQ(l.time_offsets.at("monotonic").secs, -10);
  EXPECT_EQ(l.time_offsets.at("monotonic").nanosecs, 5u);
  EXPECT_EQ(l.time_offsets.at("boottime").secs, 3);
}

TEST(Parse, Resources) {
  json doc = minimal();
  doc["linux"]["resources"] = json::parse(R"({
    "devices": [{"allow": false, "access": "rwm"},
                {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rw"}],
    "memory": {"limit": 1073741824, "reservation": -1, "swap": 0, "kernel": 1, "kernelTCP": 2,
               "swappiness": 60, "disableOOMKiller": true, "useHierarchy": false,
               "checkBeforeUpdate": true},
    "cpu": {"shares": 1024, "quota": -1, "burst": 5, "period": 100000, "realtimeRuntime": 7,
            "realtimePeriod": 8, "cpus": "0-1", "mems": "0", "idle": 1},
    "pids": {"limit": 100},
    "blockIO": {"weight": 500, "leafWeight": 300,
                "weightDevice": [{"major": 8, "minor": 0, "weight": 200}],
                "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1000}],
                "throttleWriteBpsDevice": [{"major": 8, "minor": 1, "rate": 2000}],
                "throttleReadIOPSDevice": [{"major": 8, "minor": 2, "rate": 3}],
                "throttleWriteIOPSDevice": [{"major": 8, "minor": 3, "rate": 4}]},
    "hugepageLimits": [{"pageSize": "2MB", "limit": 4096}],
    "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 5}]},
    "rdma": {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}},
    "unified": {"memory.high": "max"}
  })");
  Spec spec = parse_ok(doc);
  ASSERT_TRUE(spec.linux && spec.linux->resources);
  const Resources& r = *spec.linux->resources;
  ASSERT_EQ(r.devices.size(), 2u);
  EXPECT_FALSE(r.devices[0].allow);
  EXPECT_EQ(r.devices[0].type, "");
  EXPECT_FALSE(r.devices[0].major);
  EXPECT_EQ(r.devices[1].type, "c");
  EXPECT_EQ(r.devices[1].minor, 3);
  EXPECT_EQ(r.devices[1].access, "rw");
  EXPECT_EQ(r.memory->limit, 1073741824);
  EXPECT_EQ(r.memory->reservation, -1);
  EXPECT_EQ(r.memory->swappiness, 60u);
  EXPECT_EQ(r.memory->disable_oom_killer, true);
  EXPECT_EQ(r.memory->use_hierarchy, false);
  EXPECT_EQ(r.cpu->quota, -1);
  EXPECT_EQ(r.cpu->cpus, "0-1");
  EXPECT_EQ(r.cpu->idle, 1);
  EXPECT_EQ(r.pids_limit, 100);
  EXPECT_EQ(r.block_io->weight, 500);
  EXPECT_EQ(r.block_io->weight_device[0].weight, 200);
  EXPECT_EQ(r.block_io->throttle_write_iops_device[0].rate, 4u);
  EXPECT_EQ(r.hugepage_limits[0].page_size, "2MB");
  EXPECT_EQ(r.network->class_id, 1048577u);
  EXPECT_EQ(r.network->priorities[0].name, "eth0");
  EXPECT_EQ(r.rdma.at("mlx5_1").hca_objects, 10000u);
  EXPECT_EQ(r.unified.at("memory.high"), "max");
}

// dockerd writes a zero weight into every config and a zero kernel memory limit into every
// update; like runc, burrow reads them as "not set".
TEST(Parse, ZeroWeightsAndKernelMemoryAreUnset) {
  json doc = minimal();
  doc["linux"]["resources"] = json::parse(R"({
    "memory": {"kernel": 0, "kernelTCP": 0},
    "blockIO": {"weight": 0, "leafWeight": 0,
                "weightDevice": [{"major": 8, "minor": 0, "weight": 0, "leafWeight": 0}]}
  })");
  Spec spec = parse_ok(doc);
  const BlockIoResources& io = *spec.linux->resources->block_io;
  EXPECT_FALSE(io.weight);
  EXPECT_FALSE(io.leaf_weight);
  EXPECT_FALSE(io.weight_device[0].weight);
  EXPECT_FALSE(io.weight_device[0].leaf_weight);
  EXPECT_FALSE(spec.linux->resources->memory->kernel);
  EXPECT_FALSE(spec.linux->resources->memory->kernel_tcp);
}

TEST(Parse, Seccomp) {
  json doc = minimal();
  doc["linux"]["seccomp"] = json::parse(R"({
    "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "architectures": ["SCMP_ARCH_X86_64"],
    "flags": ["SECCOMP_FILTER_FLAG_LOG"], "listenerPath": "/run/l.sock", "listenerMetadata": "m",
    "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                 {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38,
                  "args": [{"index": 1, "value": 9, "valueTwo": 0, "op": "SCMP_CMP_EQ"}]}]
  })");
  Spec spec = parse_ok(doc);
  const Seccomp& s = *spec.linux->seccomp;
  EXPECT_EQ(s.default_action, "SCMP_ACT_ERRNO");
  EXPECT_EQ(s.default_errno_ret, 1u);
  EXPECT_EQ(s.architectures[0], "SCMP_ARCH_X86_64");
  EXPECT_EQ(s.flags[0], "SECCOMP_FILTER_FLAG_LOG");
  EXPECT_TRUE(s.flags_given);
  EXPECT_EQ(s.listener_path, "/run/l.sock");
  EXPECT_EQ(s.listener_metadata, "m");
  ASSERT_EQ(s.syscalls.size(), 2u);
  EXPECT_EQ(s.syscalls[0].names, (std::vector<std::string>{"read", "write"}));
  EXPECT_FALSE(s.syscalls[0].errno_ret);
  EXPECT_EQ(s.syscalls[1].errno_ret, 38u);
  EXPECT_EQ(s.syscalls[1].args[0].index, 1u);
  EXPECT_EQ(s.syscalls[1].args[0].value, 9u);
  EXPECT_EQ(s.syscalls[1].args[0].op, "SCMP_CMP_EQ");
}

TEST(Parse, UnknownKeysAreIgnoredAtEveryLevel) {
  json doc = minimal();
  doc["x-top"] = {{"anything", 1}};
  doc["process"]["x-proc"] = true;
  doc["process"]["user"]["x-user"] = "s";
  doc["process"]["capabilities"] = {{"bounding", json::array()}, {"x-caps", 1}};
  doc["process"]["rlimits"] = {{{"type", "RLIMIT_CORE"}, {"x-rl", 1}}};
  doc["root"]["x-root"] = 1;
  doc["mounts"] = {{{"destination", "/x"}, {"x-mount", 2}}};
  doc["hooks"] = {{"x-hooks", 1}};
  doc["linux"] = json::parse(R"({
    "x-linux": 1,
    "namespaces": [{"type": "pid", "x-ns": 1}],
    "resources": {"x-res": 1, "memory": {"x-mem": 1}, "devices": [{"allow": true, "x-dev": 1}]},
    "seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "x-sc": 1,
                "syscalls": [{"names": ["a"], "action": "b", "x-sys": 1}]}
  })");
  Spec spec = parse_ok(doc);
  EXPECT_TRUE(spec.unsupported.empty());
  EXPECT_EQ(spec.process->rlimits[0].resource, RLIMIT_CORE);
  EXPECT_EQ(spec.mounts[0].destination, "/x");
  EXPECT_EQ(spec.linux->namespaces[0].type, NamespaceType::pid);
}

TEST(Parse, NullMeansAbsent) {
  json doc = minimal();
  doc["hostname"] = nullptr;
  doc["hooks"] = nullptr;
  doc["linux"] = {{"resources", {{"memory", nullptr}}}, {"seccomp", nullptr}};
  doc["process"]["oomScoreAdj"] = nullptr;
  Spec spec = parse_ok(doc);
  EXPECT_EQ(spec.hostname, "");
  EXPECT_FALSE(spec.hooks);
  EXPECT_FALSE(spec.linux->resources->memory);
  EXPECT_FALSE(spec.linux->seccomp);
  EXPECT_FALSE(spec.process->oom_score_adj);
}

// runc's default flags apply when flags is absent or null, not when it is an empty list.
TEST(Parse, SeccompFlagsGiven) {
  const std::vector<std::pair<json, bool>> cases = {{json(nullptr), false}, {json::array(), true}};
  for (const auto& [flags, given] : cases) {
    json doc = minimal();
    doc["linux"]["seccomp"] = {{"defaultAction", "SCMP_ACT_ALLOW"}, {"flags", flags}};
    EXPECT_EQ(parse_ok(doc).linux->seccomp->flags_given, given) << flags;
  }
}

TEST(Parse, KnownButUnmodelledFieldsAreRecorded) {
  json doc = minimal();
  doc["process"]["execCPUAffinity"] = {{"initial", "0"}};
  doc["linux"] = {{"intelRdt", {{"closID", "x"}}}, {"netDevices", {{"eth0", json::object()}}}};
  doc["windows"] = {{"layerFolders", json::array()}};
  doc["solaris"] = json::object();
  doc["vm"] = {{"kernel", {{"path", "/k"}}}};
  doc["zos"] = json::object();
  doc["freebsd"] = nullptr;  // null is absent
  Spec spec = parse_ok(doc);
  EXPECT_EQ(spec.unsupported,
            (std::vector<std::string>{"process.execCPUAffinity", "linux.intelRdt",
                                      "linux.netDevices", "windows", "solaris", "vm", "zos"}));
}

TEST(Parse, MemoryPolicy) {
  json doc = minimal();
  doc["linux"]["memoryPolicy"] = {
      {"mode", "MPOL_INTERLEAVE"}, {"nodes", "0-1,3"}, {"flags", {"MPOL_F_STATIC_NODES"}}};
  Spec spec = parse_ok(doc);
  ASSERT_TRUE(spec.linux->memory_policy);
  EXPECT_EQ(spec.linux->memory_policy->mode, "MPOL_INTERLEAVE");
  EXPECT_EQ(spec.linux->memory_policy->nodes, "0-1,3");
  EXPECT_EQ(spec.linux->memory_policy->flags, std::vector<std::string>{"MPOL_F_STATIC_NODES"});
  doc["linux"]["memoryPolicy"] = {{"nodes", "0"}};
  EXPECT_EQ(parse_error(doc), "linux.memoryPolicy.mode: required field is missing");
}

TEST(ParseErrors, TypeErrorsNameThePath) {
  json doc = minimal();
  doc["process"]["user"]["uid"] = "0";
  EXPECT_EQ(parse_error(doc), "process.user.uid: expected unsigned 32-bit integer, got string");
  doc = minimal();
  doc["process"]["user"]["gid"] = -1;
  EXPECT_EQ(parse_error(doc), "process.user.gid: expected unsigned 32-bit integer, got -1");
  doc = minimal();
  doc["process"]["user"]["uid"] = 4294967296;
  EXPECT_EQ(parse_error(doc), "process.user.uid: expected unsigned 32-bit integer, got 4294967296");
  doc = minimal();
  doc["process"]["oomScoreAdj"] = 1.5;
  EXPECT_EQ(parse_error(doc), "process.oomScoreAdj: expected signed 32-bit integer, got 1.5");
  doc = minimal();
  doc["process"]["args"] = "sh";
  EXPECT_EQ(parse_error(doc), "process.args: expected array, got string");
  doc = minimal();
  doc["process"]["args"] = {"sh", 1};
  EXPECT_EQ(parse_error(doc), "process.args[1]: expected string, got 1");
  doc = minimal();
  doc["process"]["terminal"] = "yes";
  EXPECT_EQ(parse_error(doc), "process.terminal: expected boolean, got string");
  doc = minimal();
  doc["root"] = "rootfs";
  EXPECT_EQ(parse_error(doc), "root: expected object, got string");
  doc = minimal();
  doc["annotations"] = {{"a", 1}};
  EXPECT_EQ(parse_error(doc), "annotations.a: expected string, got 1");
  EXPECT_EQ(parse_error(json::array()), "expected object, got array");
}

TEST(ParseErrors, NestedTypeErrors) {
  json doc = minimal();
  doc["linux"]["resources"]["memory"]["limit"] = "1G";
  EXPECT_EQ(parse_error(doc),
            "linux.resources.memory.limit: expected signed 64-bit integer, got string");
  doc = minimal();
  doc["linux"]["resources"]["blockIO"]["weight"] = 70000;
  EXPECT_EQ(parse_error(doc),
            "linux.resources.blockIO.weight: expected unsigned 16-bit integer, got 70000");
  doc = minimal();
  doc["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", true}, {"size", 1}}};
  EXPECT_EQ(parse_error(doc),
            "linux.uidMappings[0].hostID: expected unsigned 32-bit integer, got boolean");
  doc = minimal();
  doc["linux"]["timeOffsets"] = {{"monotonic", {{"secs", "1"}}}};
  EXPECT_EQ(parse_error(doc),
            "linux.timeOffsets.monotonic.secs: expected signed 64-bit integer, got string");
  doc = minimal();
  doc["linux"]["sysctl"] = {{"net.ipv4.ip_forward", 1}};
  EXPECT_EQ(parse_error(doc), "linux.sysctl.net.ipv4.ip_forward: expected string, got 1");
  doc = minimal();
  doc["hooks"] = {{"poststop", {{{"path", "/x"}, {"timeout", "5"}}}}};
  EXPECT_EQ(parse_error(doc),
            "hooks.poststop[0].timeout: expected signed 32-bit integer, got string");
  doc = minimal();
  doc["linux"]["seccomp"] = {{"syscalls", {{{"names", {"read"}}, {"args", {{{"index", -2}}}}}}}};
  EXPECT_EQ(parse_error(doc),
            "linux.seccomp.syscalls[0].args[0].index: expected unsigned 32-bit integer, got -2");
}

TEST(ParseErrors, UnknownNames) {
  json doc = minimal();
  doc["process"]["rlimits"] = {
      {{"type", "RLIMIT_NOFILE"}}, {{"type", "RLIMIT_CORE"}}, {{"type", "RLIMIT_FOO"}}};
  EXPECT_EQ(parse_error(doc), "process.rlimits[2].type: unknown rlimit \"RLIMIT_FOO\"");
  doc = minimal();
  doc["linux"]["namespaces"] = {{{"type", "pid"}}, {{"type", "foo"}}};
  EXPECT_EQ(parse_error(doc), "linux.namespaces[1].type: namespace \"foo\" does not exist");
}

TEST(ParseErrors, RequiredFields) {
  json doc = minimal();
  doc["process"]["rlimits"] = {{{"hard", 1}}};
  EXPECT_EQ(parse_error(doc), "process.rlimits[0].type: required field is missing");
  doc = minimal();
  doc["linux"]["namespaces"] = {json::object()};
  EXPECT_EQ(parse_error(doc), "linux.namespaces[0].type: required field is missing");
  doc = minimal();
  doc["hooks"] = {{"prestart", {{{"args", {"a"}}}}}};
  EXPECT_EQ(parse_error(doc), "hooks.prestart[0].path: required field is missing");
  doc = minimal();
  doc["linux"]["devices"] = {{{"type", "c"}, {"path", "/dev/x"}, {"minor", 1}}};
  EXPECT_EQ(parse_error(doc), "linux.devices[0].major: required for device type \"c\"");
  doc = minimal();
  doc["linux"]["devices"] = {{{"type", "b"}, {"path", "/dev/x"}, {"major", 1}}};
  EXPECT_EQ(parse_error(doc), "linux.devices[0].minor: required for device type \"b\"");
}

class LoadConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/burrow-spec-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  std::string write(const std::string& text) {
    std::string path = dir_ + "/config.json";
    std::ofstream(path) << text;
    return path;
  }
  std::string dir_;
};

TEST_F(LoadConfig, ReadsAFile) {
  auto spec = load_config(write(minimal().dump()));
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  EXPECT_EQ(spec->process->args[0], "sh");
}

TEST_F(LoadConfig, PrefixesErrorsWithTheFileName) {
  json doc = minimal();
  doc["process"]["user"]["uid"] = "root";
  auto spec = load_config(write(doc.dump()));
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.error().message,
            "config.json: process.user.uid: expected unsigned 32-bit integer, got string");
}

TEST_F(LoadConfig, SyntaxErrorsHaveAPosition) {
  auto spec = load_config(write("{\n  \"ociVersion\": \"1.2.0\",\n  oops\n}\n"));
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(
      spec.error().message.rfind("config.json: invalid JSON: parse error at line 3, column 3: ", 0),
      0u)
      << spec.error().message;
}

// A number too big for a double is no parse_error in nlohmann_json but out_of_range: it escaped
// as an uncaught exception and burrow aborted (found by fuzz/exec_process).
TEST_F(LoadConfig, ANumberTooBigIsInvalidJsonNotACrash) {
  auto spec =
      load_config(write("{\"ociVersion\": \"1.2.0\", \"process\": {\"oomScoreAdj\": 1e999}}"));
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.error().message, "config.json: invalid JSON: number overflow parsing '1e999'");
  std::vector<std::string> unsupported;
  auto process = load_process(
      write("{\"args\": [\"sh\"], \"cwd\": \"/\", \"user\": {\"uid\": -1e400}}"), unsupported);
  ASSERT_FALSE(process.ok());
  EXPECT_EQ(process.error().message, "config.json: invalid JSON: number overflow parsing '-1e400'");
}

TEST_F(LoadConfig, MissingFile) {
  auto spec = load_config(dir_ + "/nope.json");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.error().code, ENOENT);
  EXPECT_NE(spec.error().message.find(dir_ + "/nope.json"), std::string::npos)
      << spec.error().message;
}

TEST(Model, NamespaceNames) {
  for (auto type :
       {NamespaceType::pid, NamespaceType::network, NamespaceType::mount, NamespaceType::ipc,
        NamespaceType::uts, NamespaceType::user, NamespaceType::cgroup, NamespaceType::time}) {
    EXPECT_EQ(parse_namespace_type(namespace_type_name(type)), type);
  }
  EXPECT_STREQ(namespace_type_name(NamespaceType::network), "network");
  EXPECT_FALSE(parse_namespace_type("net"));
  Spec spec;
  EXPECT_EQ(spec.find_namespace(NamespaceType::pid), nullptr);
}

}  // namespace
}  // namespace burrow::spec
