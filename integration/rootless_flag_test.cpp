// `--rootless true` run by root (root tier): the checks and choices of rootless mode without an
// unprivileged caller. The rootless tier itself (integration/rootless/) runs as the test user.
#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;
using RootlessFlagTest = ContainerTest;

TEST_F(RootlessFlagTest, RootlessTrueRunsWithoutACgroupOfItsOwn) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "burrow's rootless cgroup choice";
  write_config([&](json& c) {
    c["linux"]["namespaces"].push_back({{"type", "user"}});
    c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    c["linux"]["cgroupsPath"] = "/" + id_;
  });
  CommandResult result = runtime({"--rootless", "true", "run", "--bundle", bundle_, id_});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  json report = last_json_line(result.out);
  ASSERT_TRUE(report.is_object()) << result.describe();
  for (const auto& line : report["cgroup"]) {
    EXPECT_EQ(line.get<std::string>().find(id_), std::string::npos) << report["cgroup"].dump();
  }
  EXPECT_EQ(report["uid"], 0);
}

TEST_F(RootlessFlagTest, RootlessTrueNeedsAUserNamespace) {
  write_config();
  CommandResult result = runtime({"--rootless", "true", "run", "--bundle", bundle_, id_});
  EXPECT_NE(result.exit_code, 0) << result.describe();
  if (!runtime_is_burrow()) return;
  EXPECT_NE(
      result.err.find("config.json: linux.namespaces: rootless container requires user namespaces"),
      std::string::npos)
      << result.describe();
}

}  // namespace
}  // namespace integration
