// Real cgroups on this host: a forked child placed in every hierarchy, then removed.
#include <gtest/gtest.h>
#include <signal.h>
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

}  // namespace
}  // namespace burrow::cgroups
