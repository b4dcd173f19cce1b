#include "container/network_setup.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace burrow::container {
namespace {

namespace fs = std::filesystem;

class NetworkSetup : public ::testing::Test {
 protected:
  void SetUp() override {
    work_ = fs::temp_directory_path() / ("burrow-netsetup-" + std::to_string(::getpid()));
    fs::create_directories(work_ / "rootfs" / "etc");
    fs::create_directories(work_ / "state");
    spec_.linux.emplace();
    plan_.new_network = true;
  }
  void TearDown() override { fs::remove_all(work_); }

  Result<NetworkPlan> plan(const std::string& mode) {
    spec_.annotations["run.burrow.network"] = mode;
    return plan_network(spec_, plan_, (work_ / "rootfs").string(), (work_ / "state").string());
  }

  bool slirp4netns_installed() { return network::find_helper(network::Mode::slirp4netns).ok(); }

  fs::path work_;
  spec::Spec spec_;
  NamespacePlan plan_;
};

TEST_F(NetworkSetup, NoneChangesNothing) {
  auto planned = plan("none");
  ASSERT_TRUE(planned.ok()) << planned.error().message;
  EXPECT_EQ(planned->config.mode, network::Mode::none);
  EXPECT_TRUE(spec_.mounts.empty());
  EXPECT_FALSE(planned->resolv_conf);
}

TEST_F(NetworkSetup, HelperNeedsNewNetworkNamespace) {
  plan_.new_network = false;
  auto planned = plan("pasta");
  ASSERT_FALSE(planned.ok());
  EXPECT_EQ(planned.error().message,
            "annotation run.burrow.network=pasta: needs a new network namespace (linux.namespaces "
            "has no \"network\" entry, or it joins one by path)");
}

TEST_F(NetworkSetup, BundleResolvConfWins) {
  if (!slirp4netns_installed()) GTEST_SKIP() << "slirp4netns is not installed";
  std::ofstream(work_ / "rootfs" / "etc" / "resolv.conf") << "";
  spec::Mount mount;
  mount.destination = "/etc/resolv.conf";
  mount.type = "bind";
  mount.source = "/somewhere/resolv.conf";
  spec_.mounts.push_back(mount);
  auto planned = plan("slirp4netns");
  ASSERT_TRUE(planned.ok()) << planned.error().message;
  EXPECT_EQ(spec_.mounts.size(), 1u);
  EXPECT_FALSE(planned->resolv_conf);
  EXPECT_FALSE(fs::exists(work_ / "state" / "resolv.conf"));
}

TEST_F(NetworkSetup, RootfsWithoutResolvConfIsLeftAlone) {
  if (!slirp4netns_installed()) GTEST_SKIP() << "slirp4netns is not installed";
  auto planned = plan("slirp4netns");
  ASSERT_TRUE(planned.ok()) << planned.error().message;
  EXPECT_TRUE(spec_.mounts.empty());
  EXPECT_FALSE(fs::exists(work_ / "rootfs" / "etc" / "resolv.conf"));  // never written
}

TEST_F(NetworkSetup, GeneratedResolvConfIsMountedReadOnly) {
  if (!slirp4netns_installed()) GTEST_SKIP() << "slirp4netns is not installed";
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: open_tree of the generated file";
  std::ofstream(work_ / "rootfs" / "etc" / "resolv.conf") << "";
  auto planned = plan("slirp4netns");
  ASSERT_TRUE(planned.ok()) << planned.error().message;
  ASSERT_EQ(spec_.mounts.size(), 1u);
  const spec::Mount& mount = spec_.mounts[0];
  EXPECT_EQ(mount.destination, "/etc/resolv.conf");
  EXPECT_EQ(mount.source, (work_ / "state" / "resolv.conf").string());
  EXPECT_TRUE(mount.has_option("ro"));
  EXPECT_TRUE(planned->resolv_conf);
  EXPECT_EQ(planned->resolv_conf_index, 0u);
  std::ifstream generated(work_ / "state" / "resolv.conf");
  std::string text((std::istreambuf_iterator<char>(generated)), {});
  EXPECT_EQ(text, "nameserver 10.0.2.3\n");
}

}  // namespace
}  // namespace burrow::container
