// Rootless cgroups: with linux.cgroupsPath below a subtree delegated to the caller (as-test-user
// prepares /sys/fs/cgroup/<hierarchy>/burrow-test-delegated as root and names it in
// BURROW_TEST_DELEGATED_CGROUP), the container gets a cgroup there with its limits, and delete
// removes it; a limit whose parent cgroup is not writable is refused, naming limit and dir.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "harness/config.hpp"
#include "harness/container_test.hpp"
#include "harness/environment.hpp"
#include "rootless/rootless_fixture.hpp"

namespace integration {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool host_is_unified() {
  return fs::exists("/sys/fs/cgroup/cgroup.controllers");
}

class RootlessCgroupsTest : public RootlessTest {
 protected:
  // The delegated subtree's name, or "" with *why_not saying why there is none.
  static std::string delegated(std::string* why_not) {
    const char* name = std::getenv("BURROW_TEST_DELEGATED_CGROUP");
    if (name != nullptr && *name != '\0') return name;
    const char* skip = std::getenv("BURROW_TEST_DELEGATED_SKIP");
    *why_not = skip != nullptr ? skip
                               : "BURROW_TEST_DELEGATED_CGROUP is unset (run through "
                                 "integration/rootless/as-test-user as root)";
    return "";
  }

  CommandResult exec(const std::vector<std::string>& command) {
    std::vector<std::string> args{"exec", id_};
    args.insert(args.end(), command.begin(), command.end());
    return runtime(args);
  }
};

TEST_F(RootlessCgroupsTest, LimitsApplyInADelegatedSubtree) {
  std::string why_not;
  std::string subtree = delegated(&why_not);
  if (subtree.empty()) GTEST_SKIP() << why_not;
  json config = sleeping(rootless_config(rootfs_, id_));
  config["linux"]["cgroupsPath"] = "/" + subtree + "/" + id_;
  config["linux"]["resources"] = {{"memory", {{"limit", 64 << 20}}}, {"pids", {{"limit", 32}}}};
  write_config(config);
  CommandResult run = runtime({"run", "--detach", "--bundle", bundle_, id_});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  int pid = init_pid();
  ASSERT_GT(pid, 0);

  bool unified = host_is_unified();
  std::vector<std::string> host_dirs =
      unified ? std::vector<std::string>{"/sys/fs/cgroup/" + subtree + "/" + id_}
              : std::vector<std::string>{"/sys/fs/cgroup/memory/" + subtree + "/" + id_,
                                         "/sys/fs/cgroup/pids/" + subtree + "/" + id_};
  for (const auto& dir : host_dirs) EXPECT_TRUE(fs::is_directory(dir)) << dir;
  std::string host_cgroups = read_text("/proc/" + std::to_string(pid) + "/cgroup");
  EXPECT_NE(host_cgroups.find("/" + subtree + "/" + id_ + "\n"), std::string::npos) << host_cgroups;
  if (!unified) {
    EXPECT_NE(host_cgroups.find(":memory:/" + subtree + "/" + id_ + "\n"), std::string::npos)
        << host_cgroups;
    EXPECT_NE(host_cgroups.find(":pids:/" + subtree + "/" + id_ + "\n"), std::string::npos)
        << host_cgroups;
  }

  // Inside, the container's own cgroup files carry the limits.
  std::string memory_file =
      unified ? "/sys/fs/cgroup/memory.max" : "/sys/fs/cgroup/memory/memory.limit_in_bytes";
  std::string pids_file = unified ? "/sys/fs/cgroup/pids.max" : "/sys/fs/cgroup/pids/pids.max";
  CommandResult memory = exec({"/probe", "read", memory_file});
  ASSERT_EQ(memory.exit_code, 0) << memory.describe();
  EXPECT_EQ(last_json_line(memory.out)["content"], std::to_string(64 << 20) + "\n")
      << memory.describe();
  CommandResult pids = exec({"/probe", "read", pids_file});
  ASSERT_EQ(pids.exit_code, 0) << pids.describe();
  EXPECT_EQ(last_json_line(pids.out)["content"], "32\n") << pids.describe();

  CommandResult removed = runtime({"delete", "--force", id_});
  ASSERT_EQ(removed.exit_code, 0) << removed.describe();
  for (const auto& dir : host_dirs) EXPECT_FALSE(fs::exists(dir)) << dir;
  // The delegated subtree itself stays: it is the admin's, like a systemd delegation.
  EXPECT_TRUE(fs::is_directory((unified ? "/sys/fs/cgroup/" : "/sys/fs/cgroup/memory/") + subtree));
}

// cgroupsPath right below a hierarchy's root: its parent (the root) is not the caller's.
TEST_F(RootlessCgroupsTest, LimitUnderANonWritableParentIsRefused) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "burrow's message";
  json config = rootless_config(rootfs_, id_);
  config["linux"]["cgroupsPath"] = "/" + id_;
  config["linux"]["resources"] = {{"memory", {{"limit", 64 << 20}}}};
  write_config(config);
  CommandResult result = runtime({"run", "--bundle", bundle_, id_});
  EXPECT_NE(result.exit_code, 0) << result.describe();
  std::string parent = host_is_unified() ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory";
  EXPECT_NE(result.err.find("config.json: linux.resources.memory: cannot apply cgroup limits "
                            "rootless: " +
                            parent + " is not writable by uid " + std::to_string(getuid()) +
                            " (delegate it: see README: Rootless)"),
            std::string::npos)
      << result.describe();
  EXPECT_FALSE(fs::exists(state_root_ + "/" + id_));
  EXPECT_FALSE(fs::exists(parent + "/" + id_));
}

}  // namespace
}  // namespace integration
