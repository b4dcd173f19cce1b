// Real cgroups on this host: a forked child placed in every hierarchy, then removed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "base/file.hpp"
#include "cgroups/manager.hpp"

namespace burrow::cgroups {
namespace {

class RootManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to create cgroups";
    auto ctx = host_context();
    ASSERT_TRUE(ctx.ok()) << ctx.error().message;
    ctx_ = *ctx;
    child_ = ::fork();
    ASSERT_GE(child_, 0);
    if (child_ == 0) {
      ::pause();
      ::_exit(0);
    }
  }
  void TearDown() override {
    if (child_ > 0) {
      ::kill(child_, SIGKILL);
      ::waitpid(child_, nullptr, 0);
    }
    if (manager_) (void)manager_->destroy();
  }

  // /proc/<pid>/cgroup lines "N:controllers:path" -> controllers -> path.
  std::map<std::string, std::string> cgroups_of(pid_t pid) {
    std::map<std::string, std::string> out;
    std::istringstream in(*file::read("/proc/" + std::to_string(pid) + "/cgroup"));
    std::string line;
    while (std::getline(in, line)) {
      size_t a = line.find(':'), b = line.find(':', a + 1);
      out[line.substr(a + 1, b - a - 1)] = line.substr(b + 1);
    }
    return out;
  }

  CgroupsContext ctx_;
  pid_t child_ = -1;
  std::unique_ptr<Manager> manager_;
};

TEST_F(RootManagerTest, PlacesChildInEveryHierarchyAndRemovesAll) {
  std::string name = "burrow-root-test-" + std::to_string(::getpid());
  ManagerConfig config;
  config.id = name;
  config.cgroups_path = "/" + name;
  auto m = make_manager(ctx_, config);
  ASSERT_TRUE(m.ok()) << m.error().message;
  manager_ = std::move(m).value();
  ASSERT_TRUE(manager_->create().ok());
  ASSERT_TRUE(manager_->add_process(child_).ok());

  auto layout = *detect_layout(ctx_);
  auto placed = cgroups_of(child_);
  for (const auto& h : layout.hierarchies) {
    std::string key = h.unified ? "" : h.name();
    ASSERT_TRUE(placed.count(key)) << key;
    EXPECT_EQ(placed[key], "/" + name) << key;
  }
  EXPECT_EQ(placed.size(), layout.hierarchies.size());
  EXPECT_FALSE(*manager_->is_frozen());
  if (layout.unified()) {
    EXPECT_TRUE(manager_->open_unified_dir().ok());
  }
  if (const Hierarchy* devices = layout.find("devices")) {
    auto list = file::read(devices->mount_point + "/" + name + "/devices.list");
    ASSERT_TRUE(list.ok());
    EXPECT_NE(list->find("c 1:3 rwm"), std::string::npos) << *list;
    EXPECT_EQ(list->find("a *:* rwm"), std::string::npos) << *list;
  }

  // Busy while the child lives: nothing is killed, the error names the path.
  auto busy = manager_->destroy();
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code, EBUSY);
  EXPECT_EQ(busy.error().message.rfind("remove cgroup /sys/fs/cgroup/", 0), 0u)
      << busy.error().message;

  ::kill(child_, SIGKILL);
  ASSERT_EQ(::waitpid(child_, nullptr, 0), child_);
  child_ = -1;
  auto st = manager_->destroy();
  ASSERT_TRUE(st.ok()) << st.error().message;
  for (const auto& [mount, dir] : manager_->paths()) {
    EXPECT_FALSE(std::filesystem::exists(dir)) << dir;
  }
}

uid_t owner_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_uid : static_cast<uid_t>(-1);
}

// Delegation hands each dir and the files that make child cgroups and move processes to the
// owner; the limit files stay root's. On this host: v1 and the hybrid cgroup2; in the VM tier
// (the name has V2): a full cgroup v2.
TEST_F(RootManagerTest, DelegationOnV1AndV2HandsOverDirsButNotLimits) {
  std::string name = "burrow-root-test-" + std::to_string(::getpid());
  ManagerConfig config;
  config.id = name;
  config.cgroups_path = "/" + name;
  config.resources.pids_limit = 50;
  config.resources.memory.emplace().limit = 64 << 20;
  auto m = make_manager(ctx_, config);
  ASSERT_TRUE(m.ok()) << m.error().message;
  manager_ = std::move(m).value();
  ASSERT_TRUE(manager_->create().ok());
  auto applied = manager_->apply_resources(config.resources, ApplyMode::create);
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  const Owner owner{100000, 100000};
  auto delegated = manager_->delegate(owner);
  ASSERT_TRUE(delegated.ok()) << delegated.error().message;

  auto layout = *detect_layout(ctx_);
  int limits_seen = 0;
  for (const auto& [mount, dir] : manager_->paths()) {
    const Hierarchy* h = layout.find_mount(mount);
    ASSERT_NE(h, nullptr) << mount;
    EXPECT_EQ(owner_of(dir), owner.uid) << dir;
    std::vector<std::string> handed = {"cgroup.procs"};
    handed.push_back(h->unified ? "cgroup.subtree_control" : "tasks");
    for (const auto& file : handed) EXPECT_EQ(owner_of(dir + "/" + file), owner.uid) << file;
    for (const char* limit : {"memory.max", "memory.limit_in_bytes", "pids.max", "cpu.max",
                              "memory.high", "cgroup.max.descendants", "cgroup.freeze"}) {
      std::string path = dir + "/" + limit;
      if (!std::filesystem::exists(path)) continue;
      EXPECT_EQ(owner_of(path), 0u) << path;
      if (std::string(limit).starts_with("memory.") || std::string(limit) == "pids.max")
        ++limits_seen;
    }
  }
  EXPECT_GE(limits_seen, 2) << "no memory or pids limit file found to check";
}

// A delegated container that moved its init to a child cgroup and enabled a controller in its
// own cgroup2 subtree_control: the cgroup refuses processes (EBUSY), and exec's placement joins
// the init's cgroup there instead (v1 hierarchies have no such rule: the container's cgroup).
TEST_F(RootManagerTest, ExecNextToTheInitOnceTheV2CgroupHasControllers) {
  std::string name = "burrow-root-test-" + std::to_string(::getpid());
  ManagerConfig config;
  config.id = name;
  config.cgroups_path = "/" + name;
  auto m = make_manager(ctx_, config);
  ASSERT_TRUE(m.ok()) << m.error().message;
  manager_ = std::move(m).value();
  ASSERT_TRUE(manager_->create().ok());
  auto layout = *detect_layout(ctx_);
  if (layout.unified() == nullptr) GTEST_SKIP() << "no cgroup2 hierarchy on this host";
  std::string dir = manager_->paths()[layout.unified()->mount_point];
  auto offered = file::read(dir + "/cgroup.controllers");
  ASSERT_TRUE(offered.ok()) << offered.error().message;
  std::istringstream words(*offered);
  std::string controller;
  if (!(words >> controller)) GTEST_SKIP() << "the cgroup2 offers no controller to " << dir;

  ASSERT_TRUE(manager_->add_process(child_).ok());
  ASSERT_EQ(::mkdir((dir + "/init").c_str(), 0755), 0);
  ASSERT_TRUE(file::write(dir + "/init/cgroup.procs", std::to_string(child_)).ok());
  auto enabled = file::write(dir + "/cgroup.subtree_control", "+" + controller);
  ASSERT_TRUE(enabled.ok()) << enabled.error().message;

  pid_t exec = ::fork();
  ASSERT_GE(exec, 0);
  if (exec == 0) {
    ::pause();
    ::_exit(0);
  }
  auto plain = manager_->add_process(exec);
  EXPECT_FALSE(plain.ok()) << "the container's own cgroup took a process";
  if (!plain.ok()) {
    EXPECT_EQ(plain.error().code, EBUSY) << plain.error().message;
  }
  auto near = manager_->add_process_near(exec, child_);
  EXPECT_TRUE(near.ok()) << near.error().message;
  auto placed = cgroups_of(exec);
  EXPECT_EQ(placed[""], "/" + name + "/init");
  for (const auto& h : layout.hierarchies) {
    if (!h.unified) {
      EXPECT_EQ(placed[h.name()], "/" + name) << h.name();
    }
  }
  EXPECT_TRUE(manager_->open_unified_dir_of(child_).ok());
  // Never a cgroup outside the container's: the fallback refuses one.
  auto outside = manager_->open_unified_dir_of(::getpid());
  ASSERT_FALSE(outside.ok());
  EXPECT_NE(outside.error().message.find("is not within the container's cgroup"), std::string::npos)
      << outside.error().message;
  ::kill(exec, SIGKILL);
  ::waitpid(exec, nullptr, 0);
}

}  // namespace
}  // namespace burrow::cgroups
