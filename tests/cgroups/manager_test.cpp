#include "cgroups/manager.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "base/file.hpp"
#include "cgroups/devices.hpp"

namespace burrow::cgroups {
namespace {

namespace stdfs = std::filesystem;

class ManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/burrow-cgroups-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    tmp_ = tmpl;
    ctx_.root = tmp_;
    ctx_.emulate_cgroupfs = true;
    int id = 40;
    for (const char* c : {"cpu", "cpuset", "memory", "devices", "freezer"}) {
      stdfs::create_directories(tmp_ + "/" + c);
      ctx_.mountinfo += std::to_string(id++) + " 31 0:1 / " + tmp_ + "/" + c +
                        " rw - cgroup cgroup rw," + c + "\n";
    }
    stdfs::create_directories(tmp_ + "/unified");
    ctx_.mountinfo += "50 31 0:2 / " + tmp_ + "/unified rw - cgroup2 cgroup2 rw\n";
    ctx_.self_cgroup = "4:memory:/own\n0::/\n";
    stdfs::create_directories(tmp_ + "/memory/own");
    put("cpuset/cpuset.cpus", "0-1\n");
    put("cpuset/cpuset.mems", "0\n");
  }
  void TearDown() override { stdfs::remove_all(tmp_); }

  void put(const std::string& rel, const std::string& text) {
    ASSERT_TRUE(file::write_atomic(tmp_ + "/" + rel, text).ok());
  }
  std::string get(const std::string& rel) {
    auto text = file::read(tmp_ + "/" + rel);
    return text ? *text : "<" + text.error().message + ">";
  }
  std::unique_ptr<Manager> make(const ManagerConfig& config) {
    auto m = make_manager(ctx_, config);
    EXPECT_TRUE(m.ok()) << m.error().message;
    return m ? std::move(m).value() : nullptr;
  }

  std::string tmp_;
  CgroupsContext ctx_;
};

TEST_F(ManagerTest, CreatesInEveryHierarchyAndCopiesCpuset) {
  ManagerConfig config;
  config.id = "c1";
  config.cgroups_path = "/a/b/c1";
  auto m = make(config);
  ASSERT_TRUE(m);
  std::map<std::string, std::string> expected;
  for (const char* c : {"cpu", "cpuset", "memory", "devices", "freezer", "unified"}) {
    expected[tmp_ + "/" + c] = tmp_ + "/" + c + "/a/b/c1";
  }
  EXPECT_EQ(m->paths(), expected);
  ASSERT_TRUE(m->create().ok());
  for (const auto& [mount, dir] : expected) EXPECT_TRUE(stdfs::is_directory(dir)) << dir;
  for (const char* d : {"a", "a/b", "a/b/c1"}) {
    EXPECT_EQ(get(std::string("cpuset/") + d + "/cpuset.cpus"), "0-1\n") << d;
    EXPECT_EQ(get(std::string("cpuset/") + d + "/cpuset.mems"), "0\n") << d;
  }
  ASSERT_TRUE(m->add_process(1234).ok());
  EXPECT_EQ(get("memory/a/b/c1/cgroup.procs"), "1234\n");
  EXPECT_EQ(get("unified/a/b/c1/cgroup.procs"), "1234\n");
  auto fd = m->open_unified_dir();
  ASSERT_TRUE(fd.ok()) << fd.error().message;
}

TEST_F(ManagerTest, RelativeAndDefaultPathsFollowOwnCgroup) {
  ManagerConfig config;
  config.id = "c1";
  auto m = make(config);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->paths().at(tmp_ + "/memory"), tmp_ + "/memory/own/c1");
  EXPECT_EQ(m->paths().at(tmp_ + "/cpu"), tmp_ + "/cpu/c1");
  config.cgroups_path = "../../x";
  m = make(config);
  EXPECT_EQ(m->paths().at(tmp_ + "/memory"), tmp_ + "/memory/own/x");
}

TEST_F(ManagerTest, DeviceRulesWrittenInOrder) {
  ManagerConfig config;
  config.id = "c1";
  config.resources.devices = {{false, "", std::nullopt, std::nullopt, "rwm"},
                              {true, "c", 10, 229, "rw"},
                              {false, "b", 8, std::nullopt, "m"}};
  config.devices = {{"c", "/dev/null", 1, 3, std::nullopt, std::nullopt, std::nullopt}};
  auto m = make(config);
  ASSERT_TRUE(m);
  ASSERT_TRUE(m->create().ok());
  EXPECT_EQ(get("devices/c1/devices.deny"), "a\na *:* rwm\nb 8:* m\n");
  // /dev/null's default rule is dropped: the spec lists that path itself (runc does the same).
  EXPECT_EQ(get("devices/c1/devices.allow"),
            "c 10:229 rw\nc *:* m\nb *:* m\nc 1:8 rwm\nc 1:7 rwm\nc 5:0 rwm\nc 1:5 rwm\n"
            "c 1:9 rwm\nc 136:* rwm\nc 5:2 rwm\nc 10:200 rwm\n");
}

// runc's spellings: letters other than r, w, m are dropped, the rest written as "rwm" would be.
TEST(DeviceAccess, LettersOtherThanRwmAreIgnored) {
  EXPECT_EQ(device_access_letters("rwa"), "rw");
  EXPECT_EQ(device_access_letters("mrw"), "rwm");
  EXPECT_EQ(device_access_letters("r w"), "rw");
  EXPECT_EQ(device_access_letters("rrm"), "rm");
  EXPECT_EQ(device_access_letters("xyz"), "");
  auto rules = device_cgroup_rules({{true, "c", 1, 12, "rwa"}}, {});
  ASSERT_TRUE(rules);
  EXPECT_EQ(rules->front().text(), "c 1:12 rw");
}

TEST_F(ManagerTest, BadDeviceRulesUseRuncWording) {
  ManagerConfig config;
  config.id = "c1";
  config.resources.devices = {{true, "c", 1, 3, "rwm"}, {true, "c", 1, 5, ""}};
  auto m = make_manager(ctx_, config);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message, "device access at 1 field cannot be empty");
  config.resources.devices = {{true, "p", 1, 3, "rwm"}};
  m = make_manager(ctx_, config);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message, "invalid cgroup device type \"p\"");
}

TEST_F(ManagerTest, FrozenAndDestroyRemovesEverythingBelow) {
  ManagerConfig config;
  config.id = "c1";
  config.cgroups_path = "/p/c1";
  auto m = make(config);
  ASSERT_TRUE(m);
  ASSERT_TRUE(m->create().ok());
  EXPECT_FALSE(*m->is_frozen());
  put("freezer/p/c1/freezer.state", "FROZEN\n");
  EXPECT_TRUE(*m->is_frozen());
  put("freezer/p/c1/freezer.state", "THAWED\n");
  put("unified/p/c1/cgroup.freeze", "1\n");
  EXPECT_TRUE(*m->is_frozen());
  stdfs::create_directories(tmp_ + "/memory/p/c1/nested/deeper");
  put("memory/p/c1/nested/deeper/cgroup.procs", "");

  auto loaded = load_manager(ctx_, m->paths());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_TRUE((*loaded)->destroy().ok());
  for (const auto& [mount, dir] : m->paths()) {
    EXPECT_FALSE(stdfs::exists(dir)) << dir;
    EXPECT_TRUE(stdfs::is_directory(mount + "/p")) << "the parent is not the container's";
  }
  ASSERT_TRUE((*loaded)->destroy().ok());  // already gone: success
}

// A process placed in a frozen cgroup freezes before it runs: the container's own cgroup, or
// the nearest existing ancestor of one not made yet, is checked in every hierarchy.
TEST_F(ManagerTest, FrozenCgroupIsNamedBeforeAnythingIsPlaced) {
  ManagerConfig config;
  config.id = "c1";
  config.cgroups_path = "/p/c1";
  auto m = make(config);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->check_not_frozen().ok()) << "nothing exists yet: the roots are never frozen";
  stdfs::create_directories(tmp_ + "/freezer/p");
  put("freezer/p/freezer.state", "FROZEN\n");
  auto above = m->check_not_frozen();
  ASSERT_FALSE(above.ok());
  EXPECT_EQ(above.error().message,
            "container's cgroup unexpectedly frozen: " + tmp_ +
                "/freezer/p (above the container's " + tmp_ +
                "/freezer/p/c1) has freezer.state FROZEN: a process placed there would "
                "freeze before it runs; thaw it first");
  put("freezer/p/freezer.state", "THAWED\n");
  ASSERT_TRUE(m->create().ok());
  put("freezer/p/c1/freezer.state", "FREEZING\n");
  EXPECT_EQ(m->check_not_frozen().error().message,
            "container's cgroup unexpectedly frozen: " + tmp_ +
                "/freezer/p/c1 has freezer.state FREEZING: a process placed there would freeze "
                "before it runs; thaw it first");
  put("freezer/p/c1/freezer.state", "THAWED\n");
  put("unified/p/c1/cgroup.events", "populated 1\nfrozen 1\n");
  EXPECT_EQ(m->check_not_frozen().error().message,
            "container's cgroup unexpectedly frozen: " + tmp_ +
                "/unified/p/c1 has cgroup.events frozen 1: a process placed there would freeze "
                "before it runs; thaw it first");
  put("unified/p/c1/cgroup.events", "populated 1\nfrozen 0\n");
  EXPECT_TRUE(m->check_not_frozen().ok());
  ASSERT_TRUE(m->destroy().ok());
}

// SCHED_FIFO/SCHED_RR refused with EPERM: the v1 cpu cgroup's cpu.rt_runtime_us 0 is the reason
// (RT_GROUP_SCHED: a new cgroup has no realtime time); other values, or no such file, are not.
TEST_F(ManagerTest, RealtimeRefusalReasonNamesTheCpuCgroup) {
  ManagerConfig config;
  config.id = "c1";
  config.cgroups_path = "/p/c1";
  auto m = make(config);
  ASSERT_TRUE(m);
  ASSERT_TRUE(m->create().ok());
  EXPECT_EQ(m->realtime_refusal_reason(), std::nullopt) << "no cpu.rt_runtime_us on this host";
  put("cpu/p/c1/cpu.rt_runtime_us", "0\n");
  EXPECT_EQ(m->realtime_refusal_reason(),
            "the container's cgroup " + tmp_ +
                "/cpu/p/c1 has cpu.rt_runtime_us 0, no realtime CPU time (set "
                "linux.resources.cpu.realtimeRuntime)");
  put("cpu/p/c1/cpu.rt_runtime_us", "10000\n");
  EXPECT_EQ(m->realtime_refusal_reason(), std::nullopt);
  ASSERT_TRUE(m->destroy().ok());
}

TEST_F(ManagerTest, DestroyFailureNamesPath) {
  ManagerConfig config;
  config.id = "c1";
  auto m = make(config);
  ASSERT_TRUE(m->create().ok());
  // A regular file where a sub-cgroup would be: rmdir keeps failing (ENOTDIR/ENOTEMPTY path).
  put("cpu/c1/notes", "x");
  ctx_.emulate_cgroupfs = false;
  auto strict = make(config);
  auto st = strict->destroy();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "remove cgroup " + tmp_ + "/cpu/c1: Directory not empty");
  EXPECT_FALSE(stdfs::exists(tmp_ + "/memory/own/c1")) << "other hierarchies still tried";
}

TEST_F(ManagerTest, PureV2AttachesDeviceFilterAndHasUnifiedDir) {
  ctx_.mountinfo = "30 23 0:26 / " + tmp_ + " rw - cgroup2 cgroup2 rw\n";
  ctx_.self_cgroup = "0::/\n";
  ManagerConfig config;
  config.id = "c1";
  config.resources.devices = {{false, "a", std::nullopt, std::nullopt, "rwm"},
                              {true, "c", 10, 229, "rw"}};
  auto m = make(config);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->paths(), (std::map<std::string, std::string>{{tmp_, tmp_ + "/c1"}}));
  ASSERT_TRUE(m->create().ok());
  EXPECT_TRUE(m->open_unified_dir().ok());
  // The spec's rules, then runc's defaults, as on v1 (the emulation records what is attached).
  std::string attached = get("c1/devices.bpf");
  EXPECT_EQ(attached.substr(0, attached.find("allow c 1:3")),
            "deny a *:* rwm\nallow c 10:229 rw\nallow c *:* m\nallow b *:* m\n");
  ASSERT_TRUE(m->destroy().ok());
  EXPECT_FALSE(stdfs::exists(tmp_ + "/c1"));
}

TEST_F(ManagerTest, LegacyHasNoUnifiedDir) {
  ctx_.mountinfo = "40 31 0:1 / " + tmp_ + "/cpu rw - cgroup cgroup rw,cpu\n";
  ManagerConfig config;
  config.id = "c1";
  auto m = make(config);
  auto fd = m->open_unified_dir();
  ASSERT_FALSE(fd.ok());
  EXPECT_EQ(fd.error().message, "no cgroup2 hierarchy on this host");
}

TEST(DeviceRuleText, Formats) {
  EXPECT_EQ((DeviceCgroupRule{true, 'c', 1, 3, "rwm"}.text()), "c 1:3 rwm");
  EXPECT_EQ((DeviceCgroupRule{false, 'a', kWildcard, kWildcard, "rwm"}.text()), "a *:* rwm");
  EXPECT_EQ(default_device_rules().size(), 11u);
}

// Rootless in a delegated subtree: only the listed hierarchies, and no device rules (the
// devices cgroup is not even touched: only root may write them).
TEST_F(ManagerTest, RootlessUsesOnlyTheListedHierarchiesWithoutDeviceRules) {
  ManagerConfig config;
  config.id = "c1";
  config.cgroups_path = "/delegated/c1";
  config.rootless = true;
  config.hierarchies = {tmp_ + "/memory", tmp_ + "/devices", tmp_ + "/unified"};
  auto m = make(config);
  ASSERT_TRUE(m);
  std::map<std::string, std::string> expected;
  for (const char* c : {"memory", "devices", "unified"})
    expected[tmp_ + "/" + c] = tmp_ + "/" + c + "/delegated/c1";
  EXPECT_EQ(m->paths(), expected);
  ASSERT_TRUE(m->create().ok());
  EXPECT_FALSE(stdfs::exists(tmp_ + "/cpu/delegated"));
  EXPECT_FALSE(stdfs::exists(tmp_ + "/devices/delegated/c1/devices.deny"));
  ASSERT_TRUE(m->destroy().ok());
  for (const auto& [mount, dir] : expected) EXPECT_FALSE(stdfs::exists(dir)) << dir;
}

}  // namespace
}  // namespace burrow::cgroups
