#include "pod/bundle.hpp"

#include <gtest/gtest.h>

namespace burrow::shim::pod {
namespace {

using nlohmann::json;

json base() {
  return json::parse(R"({
    "ociVersion": "1.0.2-dev",
    "process": {"terminal": true, "args": ["sh"], "cwd": "/", "user": {"uid": 0, "gid": 0},
                "capabilities": {"bounding": ["CAP_KILL"]}},
    "root": {"path": "rootfs", "readonly": true},
    "hostname": "burrow",
    "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
    "linux": {"namespaces": [{"type": "pid"}], "sysctl": {"net.ipv4.ping_group_range": "0 1"},
              "seccomp": {"defaultAction": "SCMP_ACT_ERRNO"}}
  })");
}

TEST(ContainerConfig, InfraMakesThePodsNamespacesAndMapsItsRange) {
  ContainerPlan plan;
  plan.infra = true;
  plan.rootfs = "/jobs/k/infra/rootfs";
  plan.readonly_rootfs = true;
  plan.args = {"/pod-init"};
  plan.ids = IdRange{1u << 30, 1u << 30, 65536};
  plan.hostname = "burrow-job-7";
  plan.cgroups_path = "/burrow-shim/x-infra";
  plan.annotations["run.burrow.network"] = "pasta";
  json config = container_config(base(), plan);
  EXPECT_EQ(config["process"]["terminal"], false);
  EXPECT_EQ(config["process"]["args"], json({"/pod-init"}));
  EXPECT_EQ(config["root"], json({{"path", "/jobs/k/infra/rootfs"}, {"readonly", true}}));
  EXPECT_EQ(config["hostname"], "burrow-job-7");
  EXPECT_EQ(config["linux"]["namespaces"],
            json::parse(R"([{"type":"user"},{"type":"pid"},{"type":"network"},{"type":"ipc"},
                            {"type":"uts"},{"type":"mount"},{"type":"cgroup"}])"));
  EXPECT_EQ(config["linux"]["uidMappings"],
            json::parse(R"([{"containerID":0,"hostID":1073741824,"size":65536}])"));
  EXPECT_EQ(config["linux"]["sysctl"]["net.ipv4.ping_group_range"], "0 65535");
  EXPECT_EQ(config["linux"]["cgroupsPath"], "/burrow-shim/x-infra");
  EXPECT_EQ(config["annotations"]["run.burrow.network"], "pasta");
  // What the runtime chose stays: its seccomp profile and capabilities.
  EXPECT_EQ(config["linux"]["seccomp"]["defaultAction"], "SCMP_ACT_ERRNO");
  EXPECT_EQ(config["process"]["capabilities"]["bounding"], json({"CAP_KILL"}));
}

TEST(ContainerConfig, MembersJoinTheInfrasNamespaces) {
  ContainerPlan plan;
  plan.infra_pid = 4242;
  plan.ids = IdRange{1u << 30, 1u << 30, 65536};
  plan.rootfs = "/jobs/k/job/rootfs";
  plan.args = {"sh"};
  plan.env = {"CI=true"};
  plan.cwd = "/builds/project";
  plan.uid = 1000;
  plan.gid = 100;
  plan.extra_mounts.push_back(bind_mount("/jobs/k/hosts", "/etc/hosts", true));
  json config = container_config(base(), plan);
  EXPECT_FALSE(config.contains("hostname"));
  EXPECT_FALSE(config["linux"].contains("uidMappings"));
  EXPECT_FALSE(config["linux"].contains("sysctl"));  // the infra set the pod's
  EXPECT_EQ(config["linux"]["namespaces"][0],
            json({{"type", "user"}, {"path", "/proc/4242/ns/user"}}));
  EXPECT_EQ(config["linux"]["namespaces"][2],
            json({{"type", "network"}, {"path", "/proc/4242/ns/net"}}));
  EXPECT_EQ(config["linux"]["namespaces"][5], json({{"type", "mount"}}));
  EXPECT_EQ(config["process"]["user"], json({{"uid", 1000}, {"gid", 100}}));
  EXPECT_EQ(config["process"]["cwd"], "/builds/project");
  EXPECT_EQ(config["root"]["readonly"], false);
  EXPECT_EQ(config["mounts"].back(),
            json::parse(R"({"destination":"/etc/hosts","type":"bind","source":"/jobs/k/hosts",
                            "options":["rbind","nosuid","nodev","ro"]})"));
}

// Rootless: the shim's own user namespace is the pod's; no container makes or joins another.
TEST(ContainerConfig, RootlessPodsHaveNoUserNamespaceOfTheirOwn) {
  ContainerPlan infra;
  infra.infra = true;
  infra.rootfs = "/r";
  infra.args = {"/pod-init"};
  json config = container_config(base(), infra);
  EXPECT_FALSE(config["linux"].contains("uidMappings"));
  for (const auto& ns : config["linux"]["namespaces"]) EXPECT_NE(ns["type"], "user") << ns;
  EXPECT_EQ(config["linux"]["sysctl"]["net.ipv4.ping_group_range"], "0 65536");
  ContainerPlan member;
  member.infra_pid = 7;
  member.rootfs = "/r";
  member.args = {"sh"};
  json joined = container_config(base(), member);
  for (const auto& ns : joined["linux"]["namespaces"]) EXPECT_NE(ns["type"], "user") << ns;
  EXPECT_EQ(joined["linux"]["namespaces"][0],
            json({{"type", "pid"}, {"path", "/proc/7/ns/pid"}}));
}

}  // namespace
}  // namespace burrow::shim::pod
