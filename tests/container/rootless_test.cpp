// Rootless mode's decisions: rootless or not, the default state root, and cgroup limits without
// a delegated cgroup.
#include "container/rootless.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace burrow::container {
namespace {

TEST(ResolveRootless, AutoFollowsTheEffectiveUid) {
  EXPECT_FALSE(*resolve_rootless(RootlessMode::automatic, 0));
  EXPECT_TRUE(*resolve_rootless(RootlessMode::automatic, 1000));
}

TEST(ResolveRootless, TrueIsRootlessEvenForRoot) {
  EXPECT_TRUE(*resolve_rootless(RootlessMode::yes, 0));
  EXPECT_TRUE(*resolve_rootless(RootlessMode::yes, 1000));
}

TEST(ResolveRootless, FalseIsRefusedForNonRoot) {
  EXPECT_FALSE(*resolve_rootless(RootlessMode::no, 0));
  auto refused = resolve_rootless(RootlessMode::no, 1000);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "--rootless false: burrow runs as uid 1000, not root; only root can run without "
            "rootless mode");
}

TEST(DefaultStateRoot, RootUsesRunBurrow) {
  EXPECT_EQ(default_state_root(false, 0, "/run/user/0"), "/run/burrow");
}

TEST(DefaultStateRoot, RootlessUsesXdgRuntimeDir) {
  EXPECT_EQ(default_state_root(true, 1000, "/run/user/1000"), "/run/user/1000/burrow");
}

TEST(DefaultStateRoot, RootlessWithoutXdgRuntimeDirUsesTmp) {
  EXPECT_EQ(default_state_root(true, 1000, nullptr), "/tmp/burrow-1000");
  EXPECT_EQ(default_state_root(true, 1000, ""), "/tmp/burrow-1000");
}

// Root of a user namespace an unprivileged user made (rootless podman runs the runtime so) keeps
// its state in that user's runtime dir, as runc does; without one, /run/burrow.
TEST(DefaultStateRoot, UserNamespaceRootUsesXdgRuntimeDir) {
  EXPECT_EQ(default_state_root(false, 0, "/run/user/1000", true), "/run/user/1000/burrow");
  EXPECT_EQ(default_state_root(false, 0, nullptr, true), "/run/burrow");
  EXPECT_EQ(default_state_root(false, 0, "/run/user/1000", false), "/run/burrow");
}

TEST(UserNamespace, OnlyTheWholeIdentityMapIsTheHosts) {
  EXPECT_TRUE(is_initial_uid_map("         0          0 4294967295\n"));
  EXPECT_FALSE(
      is_initial_uid_map("         0       1000          1\n         1     200000      65536\n"));
  EXPECT_FALSE(is_initial_uid_map("         0          0      65536\n"));
  EXPECT_FALSE(is_initial_uid_map("         0          0 4294967295\n         5          5 1\n"));
  EXPECT_FALSE(is_initial_uid_map(""));
}

TEST(RootlessStateRoot, MissingOrOwnIsFineOthersAreRefused) {
  std::string dir = ::testing::TempDir() + "/rootless-state-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(check_rootless_state_root(dir, ::geteuid()));
  ASSERT_EQ(::mkdir(dir.c_str(), 0700), 0);
  EXPECT_TRUE(check_rootless_state_root(dir, ::geteuid()));
  auto foreign = check_rootless_state_root(dir, ::geteuid() + 1);
  ASSERT_FALSE(foreign);
  EXPECT_NE(foreign.error().message.find(dir + ": owned by uid " + std::to_string(::geteuid())),
            std::string::npos);
  std::string link = dir + ".link";
  ASSERT_EQ(::symlink(dir.c_str(), link.c_str()), 0);
  auto linked = check_rootless_state_root(link, ::geteuid());
  ASSERT_FALSE(linked);
  EXPECT_EQ(linked.error().message, "state root " + link + ": not a directory");
  std::filesystem::remove(link);
  std::filesystem::remove_all(dir);
}

spec::Spec with_resources(const spec::Resources& resources) {
  spec::Spec spec;
  spec.linux.emplace();
  spec.linux->resources = resources;
  return spec;
}

TEST(RootlessCgroupLimits, NoResourcesOrOnlyDevicesAreFine) {
  EXPECT_TRUE(check_rootless_cgroup_limits(spec::Spec{}, false));
  spec::Resources devices;
  devices.devices.push_back(spec::DeviceRule{});
  EXPECT_TRUE(check_rootless_cgroup_limits(with_resources(devices), false));
  // Sections written as empty objects ask for nothing.
  spec::Resources empty;
  empty.memory.emplace();
  empty.cpu.emplace();
  empty.block_io.emplace();
  empty.network.emplace();
  EXPECT_TRUE(check_rootless_cgroup_limits(with_resources(empty), false));
}

TEST(RootlessCgroupLimits, LimitsWithoutDelegationAreRefusedByName) {
  spec::Resources memory;
  memory.memory.emplace();
  memory.memory->limit = 64 << 20;
  auto refused = check_rootless_cgroup_limits(with_resources(memory), false);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "config.json: linux.resources.memory: cannot apply cgroup limits rootless without a "
            "delegated cgroup (see README: Rootless)");
  EXPECT_TRUE(check_rootless_cgroup_limits(with_resources(memory), true));
}

TEST(RootlessCgroupLimits, EachLimitIsNamed) {
  spec::Resources r;
  r.pids_limit = 10;
  EXPECT_EQ(first_cgroup_limit(r), "linux.resources.pids");
  r = {};
  r.cpu.emplace();
  r.cpu->cpus = "0";
  EXPECT_EQ(first_cgroup_limit(r), "linux.resources.cpu");
  r = {};
  r.block_io.emplace();
  r.block_io->weight = 100;
  EXPECT_EQ(first_cgroup_limit(r), "linux.resources.blockIO");
  r = {};
  r.hugepage_limits.emplace_back();
  EXPECT_EQ(first_cgroup_limit(r), "linux.resources.hugepageLimits");
  r = {};
  r.unified["memory.max"] = "1M";
  EXPECT_EQ(first_cgroup_limit(r), "linux.resources.unified");
  r = {};
  r.rdma["mlx5_0"] = {};
  EXPECT_EQ(first_cgroup_limit(r), "linux.resources.rdma");
  r = {};
  r.network.emplace();
  r.network->class_id = 1;
  EXPECT_EQ(first_cgroup_limit(r), "linux.resources.network");
}

}  // namespace
}  // namespace burrow::container
