#include "pod/dind.hpp"

#include <gtest/gtest.h>

#include "pod/bundle.hpp"

namespace burrow::shim::pod {
namespace {

using nlohmann::json;

job::ServiceSpec service(const std::string& profile = "") {
  job::ServiceSpec spec;
  spec.image.name = "docker:dind";
  spec.profile = profile;
  return spec;
}

TEST(ServiceProfile, IsTheServicesOwnWhenGiven) {
  EXPECT_EQ(service_profile(service("dind"), {"sh", "-c", "sleep 1"}), "dind");
  EXPECT_EQ(service_profile(service(""), {"postgres"}), "");
}

TEST(ServiceProfile, IsDindForAnImageThatRunsDockerd) {
  EXPECT_EQ(service_profile(service(), {"dockerd-entrypoint.sh"}), "dind");
  EXPECT_EQ(service_profile(service(), {"/usr/local/bin/dockerd-entrypoint.sh", "--mtu", "1400"}),
            "dind");
  EXPECT_EQ(service_profile(service(), {"dockerd-entrypoint"}), "dind");
  EXPECT_EQ(service_profile(service(), {"/usr/bin/dockerd", "-H", "tcp://0.0.0.0:2375"}), "dind");
}

TEST(ServiceProfile, IsDefaultForOtherCommands) {
  EXPECT_EQ(service_profile(service(), {}), "");
  EXPECT_EQ(service_profile(service(), {"sh", "-c", "dockerd"}), "");
  EXPECT_EQ(service_profile(service(), {"dockerd-rootless.sh"}), "");
  EXPECT_EQ(service_profile(service(), {"/bin/dockerdx"}), "");
}

TEST(ClientCertsPath, IsTheClientDirOfDockerTlsCertdir) {
  EXPECT_EQ(client_certs_path({"PATH=/bin", "DOCKER_TLS_CERTDIR=/certs"}), "/certs/client");
  EXPECT_EQ(client_certs_path({"DOCKER_TLS_CERTDIR=/certs//"}), "/certs/client");
  EXPECT_EQ(client_certs_path({"DOCKER_TLS_CERTDIR=/"}), "/client");
  // The last one wins: a job's variable overrides the image's Env.
  EXPECT_EQ(client_certs_path({"DOCKER_TLS_CERTDIR=/certs", "DOCKER_TLS_CERTDIR=/tls"}),
            "/tls/client");
}

TEST(ClientCertsPath, IsNoneWithoutTls) {
  EXPECT_EQ(client_certs_path({"PATH=/bin"}), std::nullopt);
  EXPECT_EQ(client_certs_path({"DOCKER_TLS_CERTDIR=/certs", "DOCKER_TLS_CERTDIR="}), std::nullopt);
  EXPECT_EQ(client_certs_path({"DOCKER_TLS_CERTDIR=certs"}), std::nullopt);
}

json dind_base() {
  return json::parse(R"({
    "process": {"args": ["sh"], "noNewPrivileges": false},
    "root": {"path": "rootfs"},
    "annotations": {"run.burrow.userns": "auto"},
    "mounts": [],
    "linux": {"namespaces": [{"type": "user"}], "maskedPaths": [], "readonlyPaths": []}
  })");
}

TEST(DindConfig, JoinsThePodsUserNamespaceWithItsCgroupDelegated) {
  ContainerPlan plan;
  plan.infra_pid = 42;
  plan.ids = IdRange{1u << 30, 1u << 30, 65536};
  plan.rootfs = "/jobs/k/svc0/rootfs";
  plan.cgroups_path = "/burrow-shim/k-svc0";
  plan.profile = "dind";
  json config = container_config(dind_base(), plan);
  EXPECT_EQ(config["annotations"], json({{"run.burrow.cgroup.delegate", "true"}}));
  EXPECT_EQ(config["linux"]["namespaces"][0],
            json({{"type", "user"}, {"path", "/proc/42/ns/user"}}));
  EXPECT_EQ(config["linux"]["namespaces"].back(), json({{"type", "cgroup"}}));
  EXPECT_FALSE(config["linux"].contains("uidMappings"));
  EXPECT_EQ(config["linux"]["maskedPaths"], json::array());
  EXPECT_EQ(config["linux"]["readonlyPaths"], json::array());
  EXPECT_EQ(config["linux"]["devices"],
            json::parse(R"([{"path":"/dev/net/tun","type":"c","major":10,"minor":200,
                              "fileMode":438,"uid":0,"gid":0},
                             {"path":"/dev/fuse","type":"c","major":10,"minor":229,
                              "fileMode":438,"uid":0,"gid":0}])"));
}

TEST(DindConfig, HoldsEveryCapabilityAndAWritableSysfsForAPrivilegedInnerContainer) {
  ContainerPlan plan;
  plan.infra_pid = 42;
  plan.profile = "dind";
  json base = dind_base();
  base["process"]["capabilities"] = {{"bounding", {"CAP_SYS_ADMIN"}},
                                     {"effective", {"CAP_SYS_ADMIN"}},
                                     {"permitted", {"CAP_SYS_ADMIN"}}};
  base["mounts"] = json::parse(R"([
    {"destination": "/sys", "type": "sysfs", "source": "sysfs",
     "options": ["nosuid", "noexec", "nodev", "ro"]},
    {"destination": "/etc/x", "type": "bind", "source": "/x", "options": ["rbind", "ro"]}])");
  json config = container_config(base, plan);
  for (const char* set : {"bounding", "effective", "permitted"}) {
    const json& caps = config["process"]["capabilities"][set];
    EXPECT_EQ(caps.size(), 41u) << set;
    EXPECT_EQ(caps.front(), "CAP_CHOWN") << set;
    EXPECT_EQ(caps.back(), "CAP_CHECKPOINT_RESTORE") << set;
  }
  EXPECT_EQ(config["mounts"][0]["options"], json({"nosuid", "noexec", "nodev"}));
  EXPECT_EQ(config["mounts"][1]["options"], json({"rbind", "ro"}));  // only sysfs
}

TEST(DindConfig, TheInfraOfAPodWithADindServiceMountsSysfsReadWrite) {
  ContainerPlan plan;
  plan.infra = true;
  plan.writable_sysfs = true;
  json base = dind_base();
  base["mounts"] = json::parse(R"([
    {"destination": "/sys", "type": "sysfs", "source": "sysfs",
     "options": ["nosuid", "noexec", "nodev", "ro"]}])");
  json config = container_config(base, plan);
  EXPECT_EQ(config["mounts"][0]["options"], json({"nosuid", "noexec", "nodev"}));
  plan.writable_sysfs = false;  // any other pod's: as the base has it
  EXPECT_EQ(container_config(base, plan)["mounts"][0]["options"],
            json({"nosuid", "noexec", "nodev", "ro"}));
}

TEST(DindConfig, DelegatesNothingWithoutACgroup) {
  ContainerPlan plan;
  plan.infra_pid = 42;
  plan.profile = "dind";  // rootless: no cgroup of its own
  json config = container_config(dind_base(), plan);
  EXPECT_FALSE(config.contains("annotations")) << config["annotations"];
  EXPECT_EQ(config["linux"]["devices"].size(), 2u);
}

TEST(DindConfig, OtherProfilesAreLeftAlone) {
  ContainerPlan plan;
  plan.infra_pid = 42;
  plan.cgroups_path = "/burrow-shim/k-svc0";
  json config = container_config(dind_base(), plan);
  EXPECT_EQ(config["annotations"], json({{"run.burrow.userns", "auto"}}));
  EXPECT_FALSE(config["linux"].contains("devices"));
}

TEST(DockerDataMount, BindsTheHostDirReadWrite) {
  EXPECT_EQ(docker_data_mount("/jobs/k/svc0.docker"),
            json::parse(R"({"destination":"/var/lib/docker","type":"bind",
                            "source":"/jobs/k/svc0.docker","options":["rbind","nodev","rw"]})"));
}

}  // namespace
}  // namespace burrow::shim::pod
