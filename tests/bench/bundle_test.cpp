#include "suites/bundle.hpp"

#include <gtest/gtest.h>

namespace burrow::bench {
namespace {

using nlohmann::json;

json runc_like_spec() {
  return json::parse(R"json({
    "ociVersion": "1.0.2",
    "process": {"terminal": true, "args": ["sh"], "noNewPrivileges": true, "apparmorProfile": "x",
                "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"]}},
    "root": {"path": "rootfs", "readonly": true},
    "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
    "linux": {"maskedPaths": ["/proc/kcore"], "readonlyPaths": ["/proc/sys"],
              "seccomp": {"defaultAction": "SCMP_ACT_ERRNO"},
              "resources": {"devices": [{"allow": false, "access": "rwm"}]}}
  })json");
}

TEST(Bundle, WorkloadRunsArgsOnTheSharedRootfsWithATmpfs) {
  json config = workload(runc_like_spec(), "/var/tmp/x/rootfs", {"/bin/true"});
  EXPECT_EQ(config["process"]["args"], json({"/bin/true"}));
  EXPECT_EQ(config["process"]["terminal"], false);
  EXPECT_EQ(config["root"], json({{"path", "/var/tmp/x/rootfs"}, {"readonly", true}}));
  ASSERT_EQ(config["mounts"].size(), 2u);
  EXPECT_EQ(config["mounts"][1]["destination"], "/tmp");
  EXPECT_EQ(config["mounts"][1]["type"], "tmpfs");
  // The rest of the runtime's config stays as it was.
  EXPECT_EQ(config["linux"]["seccomp"]["defaultAction"], "SCMP_ACT_ERRNO");
}

TEST(Bundle, PrivilegedIsDockersPrivileged) {
  json config = privileged(runc_like_spec(), {0, 21, 40});
  json caps = {"CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_CHECKPOINT_RESTORE"};
  for (const char* set : {"bounding", "effective", "permitted", "inheritable"}) {
    EXPECT_EQ(config["process"]["capabilities"][set], caps) << set;
  }
  EXPECT_FALSE(config["process"]["capabilities"].contains("ambient"));
  EXPECT_EQ(config["process"]["noNewPrivileges"], false);
  EXPECT_FALSE(config["process"].contains("apparmorProfile"));
  EXPECT_FALSE(config["linux"].contains("seccomp"));
  EXPECT_EQ(config["linux"]["maskedPaths"], json::array());
  EXPECT_EQ(config["linux"]["readonlyPaths"], json::array());
  EXPECT_EQ(config["linux"]["resources"]["devices"],
            json::parse(R"([{"allow":true,"access":"rwm"}])"));
}

}  // namespace
}  // namespace burrow::bench
