// Rootless mode's decisions: rootless or not, the default state root, and cgroup limits without
// a delegated cgroup.
#include "container/rootless.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <set>

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

// A host laid out like this hybrid one, in a temp dir: v1 memory, pids, cpu,cpuacct and
// name=systemd hierarchies plus the cgroup2 at unified. `delegated` are the parent dirs the
// caller may write.
class DelegatedHierarchiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/burrow-rootless-cg-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    cgroups::CgroupsContext ctx;
    ctx.root = root_;
    int id = 40;
    for (auto [dir, opts] : {std::pair{"memory", "memory"},
                             {"pids", "pids"},
                             {"cpu,cpuacct", "cpu,cpuacct"},
                             {"systemd", "name=systemd"}}) {
      std::filesystem::create_directories(root_ + "/" + dir + "/deleg");
      ctx.mountinfo += std::to_string(id++) + " 31 0:1 / " + root_ + "/" + dir +
                       " rw - cgroup cgroup rw," + opts + "\n";
    }
    std::filesystem::create_directories(root_ + "/unified/deleg");
    ctx.mountinfo += "50 31 0:2 / " + root_ + "/unified rw - cgroup2 cgroup2 rw\n";
    ctx.self_cgroup = self_cgroup_;
    auto layout = cgroups::detect_layout(ctx);
    ASSERT_TRUE(layout.ok()) << layout.error().message;
    layout_ = *layout;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  Result<std::vector<std::string>> decide(const spec::Resources& r,
                                          const std::set<std::string>& delegated) {
    auto writable = [&](const std::string& dir) { return delegated.count(dir) > 0; };
    return delegated_hierarchies(layout_, "/deleg/c1", r, 1001, writable);
  }
  std::string at(const std::string& hierarchy) { return root_ + "/" + hierarchy; }

  std::string root_;
  cgroups::Layout layout_;
  std::string self_cgroup_ = "0::/deleg/runner\n";  // burrow runs inside the delegated subtree
};

TEST_F(DelegatedHierarchiesTest, EveryWritableHierarchyIsUsed) {
  std::set<std::string> all;
  for (const char* h : {"memory", "pids", "cpu,cpuacct", "systemd", "unified"})
    all.insert(at(h) + "/deleg");
  auto used = decide(spec::Resources{}, all);
  ASSERT_TRUE(used.ok()) << used.error().message;
  EXPECT_EQ(used->size(), 5u);
}

// Not writable and not needed by a limit: skipped (runc's rootless manager ignores EPERM).
TEST_F(DelegatedHierarchiesTest, UnneededUnwritableHierarchiesAreSkipped) {
  spec::Resources r;
  r.memory.emplace();
  r.memory->limit = 64 << 20;
  auto used = decide(r, {at("memory") + "/deleg", at("unified") + "/deleg"});
  ASSERT_TRUE(used.ok()) << used.error().message;
  EXPECT_EQ(*used, (std::vector<std::string>{at("memory"), at("unified")}));
  auto none = decide(spec::Resources{}, {});
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_TRUE(none->empty());
}

TEST_F(DelegatedHierarchiesTest, AnUnwritableHierarchyALimitNeedsIsRefusedByName) {
  spec::Resources r;
  r.memory.emplace();
  r.memory->limit = 64 << 20;
  r.pids_limit = 32;
  auto refused = decide(r, {at("memory") + "/deleg"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(
      refused.error().message,
      "config.json: linux.resources.pids: cannot apply cgroup limits rootless: " + at("pids") +
          "/deleg is not writable by uid 1001 (delegate it: see README: Rootless)");
  EXPECT_EQ(refused.error().code, EPERM);
}

// linux.resources.unified and controllers no v1 hierarchy has (hugetlb here) go to the cgroup2.
TEST_F(DelegatedHierarchiesTest, UnifiedAndUnroutedLimitsNeedTheCgroup2) {
  spec::Resources unified;
  unified.unified["pids.max"] = "10";
  auto refused = decide(unified, {at("memory") + "/deleg"});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("linux.resources.unified: cannot apply cgroup limits "
                                         "rootless: " +
                                         at("unified") + "/deleg is not writable"),
            std::string::npos)
      << refused.error().message;
  spec::Resources hugetlb;
  hugetlb.hugepage_limits.push_back(spec::HugepageLimit{});
  EXPECT_FALSE(decide(hugetlb, {at("memory") + "/deleg"}));
  EXPECT_TRUE(decide(hugetlb, {at("unified") + "/deleg"}));
  // cpu.shares needs the cpu hierarchy; cpuset.cpus the cpuset one, which this host lacks.
  spec::Resources cpu;
  cpu.cpu.emplace();
  cpu.cpu->shares = 512;
  EXPECT_FALSE(decide(cpu, {}));
  EXPECT_TRUE(decide(cpu, {at("cpu,cpuacct") + "/deleg"}));
}

// cgroup2 moves a process only with write access to the common ancestor of both cgroups.
class DelegatedHierarchiesOutsideTest : public DelegatedHierarchiesTest {
 protected:
  void SetUp() override {
    self_cgroup_ = "0::/user/session\n";
    DelegatedHierarchiesTest::SetUp();
  }
};

TEST_F(DelegatedHierarchiesOutsideTest, Cgroup2NeedsTheCommonAncestorWritable) {
  std::set<std::string> delegated{at("memory") + "/deleg", at("unified") + "/deleg"};
  auto used = decide(spec::Resources{}, delegated);
  ASSERT_TRUE(used.ok()) << used.error().message;
  EXPECT_EQ(*used, (std::vector<std::string>{at("memory")}));
  spec::Resources unified;
  unified.unified["hugetlb.2MB.max"] = "0";
  auto refused = decide(unified, delegated);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "config.json: linux.resources.unified: cannot apply cgroup limits rootless: moving a "
            "process from " +
                at("unified") + "/user/session into " + at("unified") + "/deleg/c1 needs " +
                at("unified") +
                ", which is not writable by uid 1001 (run burrow from a cgroup in the delegated "
                "subtree: see README: Rootless)");
  delegated.insert(at("unified"));
  EXPECT_TRUE(decide(unified, delegated));
}

TEST(RequestedCgroupLimits, NameFieldAndController) {
  spec::Resources r;
  r.cpu.emplace();
  r.cpu->cpus = "0";
  r.pids_limit = 5;
  auto limits = requested_cgroup_limits(r);
  ASSERT_EQ(limits.size(), 2u);
  EXPECT_EQ(limits[0].field, "linux.resources.cpu");
  EXPECT_EQ(limits[0].controller, "cpuset");
  EXPECT_EQ(limits[1].field, "linux.resources.pids");
  EXPECT_EQ(limits[1].controller, "pids");
}

}  // namespace
}  // namespace burrow::container
