// The rootless tier: containers made by an unprivileged user (ctest label rootless, run as
// burrow-test). What the container sees, what the host sees, where the state lives.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "harness/config.hpp"
#include "harness/container_test.hpp"
#include "harness/environment.hpp"
#include "rootless/rootless_fixture.hpp"

namespace integration {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json with_ranges(json config, const SubordinateRange& uids, const SubordinateRange& gids) {
  config["linux"]["uidMappings"] = {
      {{"containerID", 0}, {"hostID", getuid()}, {"size", 1}},
      {{"containerID", 1}, {"hostID", uids.start}, {"size", uids.count}}};
  config["linux"]["gidMappings"] = {
      {{"containerID", 0}, {"hostID", getgid()}, {"size", 1}},
      {{"containerID", 1}, {"hostID", gids.start}, {"size", gids.count}}};
  return config;
}

TEST_F(RootlessTest, ProbeRunsAsNamespaceRootMappedToTheCaller) {
  write_config(rootless_config(rootfs_, id_));
  CommandResult result = runtime({"run", "--bundle", bundle_, id_});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  json probe = last_json_line(result.out);
  ASSERT_TRUE(probe.is_object()) << result.describe();
  EXPECT_EQ(probe["uid"], 0);
  EXPECT_EQ(probe["gid"], 0);
  std::string uid_map = probe["uid_map"].get<std::string>();
  EXPECT_NE(uid_map.find(" 0 "), std::string::npos) << uid_map;
  EXPECT_NE(uid_map.find(" " + std::to_string(getuid()) + " "), std::string::npos) << uid_map;
  EXPECT_EQ(probe["dumpable"], 1);  // the probe is an ordinary readable binary
}

TEST_F(RootlessTest, RunKillDelete) {
  write_config(sleeping(rootless_config(rootfs_, id_)));
  CommandResult run = runtime({"run", "--detach", "--bundle", bundle_, id_});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(status_of(runtime({"state", id_})), "running");
  EXPECT_TRUE(fs::exists(state_root_ + "/" + id_ + "/state.json"));
  CommandResult kill = runtime({"kill", id_, "KILL"});
  ASSERT_EQ(kill.exit_code, 0) << kill.describe();
  std::string status;
  for (int i = 0; i < 100 && status != "stopped"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    status = status_of(runtime({"state", id_}));
  }
  EXPECT_EQ(status, "stopped");
  CommandResult removed = runtime({"delete", id_});
  ASSERT_EQ(removed.exit_code, 0) << removed.describe();
  EXPECT_FALSE(fs::exists(state_root_ + "/" + id_));
}

// No cgroup to list the container's processes: kill --all reaches the init.
TEST_F(RootlessTest, KillAllWithoutACgroupStopsTheContainer) {
  // runc 1.1 here: "lstat : no such file or directory" (it has no cgroup path to list).
  if (!runtime_is_burrow()) GTEST_SKIP() << "runc 1.1 fails kill --all without a cgroup";
  write_config(sleeping(rootless_config(rootfs_, id_)));
  CommandResult run = runtime({"run", "--detach", "--bundle", bundle_, id_});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  CommandResult kill = runtime({"kill", "--all", id_, "KILL"});
  ASSERT_EQ(kill.exit_code, 0) << kill.describe();
  std::string status;
  for (int i = 0; i < 100 && status != "stopped"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    status = status_of(runtime({"state", id_}));
  }
  EXPECT_EQ(status, "stopped");
}

TEST_F(RootlessTest, HostSeesContainerRootAsTheCaller) {
  write_config(sleeping(rootless_config(rootfs_, id_)));
  CommandResult run = runtime({"run", "--detach", "--bundle", bundle_, id_});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  json state = json::parse(runtime({"state", id_}).out, nullptr, false);
  ASSERT_TRUE(state.is_object());
  int pid = state["pid"].get<int>();
  EXPECT_EQ(host_uid_of(pid), static_cast<long>(getuid()));
  EXPECT_EQ(host_uid_of(pid, "Gid:"), static_cast<long>(getgid()));
}

TEST_F(RootlessTest, MultiRangeMappingThroughNewuidmap) {
  std::string why_not;
  if (!have_subordinate_ranges(&why_not)) GTEST_SKIP() << why_not;
  json config = with_ranges(rootless_config(rootfs_, id_), uid_range_, gid_range_);
  write_config(config);
  CommandResult result = runtime({"run", "--bundle", bundle_, id_});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  json probe = last_json_line(result.out);
  ASSERT_TRUE(probe.is_object()) << result.describe();
  std::string uid_map = probe["uid_map"].get<std::string>();
  std::string gid_map = probe["gid_map"].get<std::string>();
  auto line = [](uint32_t inside, uint32_t host, uint32_t count) {
    return std::to_string(inside) + " " + std::to_string(host) + " " + std::to_string(count);
  };
  // The kernel pads the columns; compare with runs of spaces squeezed.
  auto squeezed = [](std::string text) {
    std::string out;
    for (char c : text) {
      if (c == ' ' && (out.empty() || out.back() == ' ' || out.back() == '\n')) continue;
      out += c;
    }
    return out;
  };
  EXPECT_EQ(squeezed(uid_map),
            line(0, getuid(), 1) + "\n" + line(1, uid_range_.start, uid_range_.count) + "\n");
  EXPECT_EQ(squeezed(gid_map),
            line(0, getgid(), 1) + "\n" + line(1, gid_range_.start, gid_range_.count) + "\n");
}

TEST_F(RootlessTest, HostSeesAContainerUserAsItsSubordinateUid) {
  std::string why_not;
  if (!have_subordinate_ranges(&why_not)) GTEST_SKIP() << why_not;
  json config = sleeping(with_ranges(rootless_config(rootfs_, id_), uid_range_, gid_range_));
  config["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
  write_config(config);
  CommandResult run = runtime({"run", "--detach", "--bundle", bundle_, id_});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  json state = json::parse(runtime({"state", id_}).out, nullptr, false);
  ASSERT_TRUE(state.is_object());
  int pid = state["pid"].get<int>();
  // containerID 1 is the range's start, so 1000 is start + 999.
  EXPECT_EQ(host_uid_of(pid), static_cast<long>(uid_range_.start + 999));
  EXPECT_EQ(host_uid_of(pid, "Gid:"), static_cast<long>(gid_range_.start + 999));
}

TEST_F(RootlessTest, RangesOutsideSubuidAreRefusedByNewuidmap) {
  std::string why_not;
  if (!have_subordinate_ranges(&why_not)) GTEST_SKIP() << why_not;
  // Past the end of the caller's range: newuidmap must refuse it.
  SubordinateRange beyond{uid_range_.start + uid_range_.count, 10};
  write_config(with_ranges(rootless_config(rootfs_, id_), beyond, gid_range_));
  CommandResult result = runtime({"run", "--bundle", bundle_, id_});
  EXPECT_NE(result.exit_code, 0) << result.describe();
  if (runtime_is_burrow()) {
    EXPECT_NE(result.err.find("write uid mappings: newuidmap "), std::string::npos)
        << result.describe();
    EXPECT_NE(result.err.find("not allowed"), std::string::npos) << result.describe();
  }
  EXPECT_FALSE(fs::exists(state_root_ + "/" + id_));
}

// The init is dumpable only while its maps are written: once created (waiting for start) the
// files in its /proc/<pid> (not the directory itself) belong to root, as a non-dumpable
// process's do, not to the caller.
TEST_F(RootlessTest, CreatedInitIsNotDumpable) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "burrow's init";
  write_config(rootless_config(rootfs_, id_));
  CommandResult created = runtime({"create", "--bundle", bundle_, id_});
  ASSERT_EQ(created.exit_code, 0) << created.describe();
  json state = json::parse(runtime({"state", id_}).out, nullptr, false);
  ASSERT_TRUE(state.is_object());
  std::string proc = "/proc/" + std::to_string(state["pid"].get<int>()) + "/environ";
  struct stat info {};
  ASSERT_EQ(stat(proc.c_str(), &info), 0) << proc;
  EXPECT_EQ(info.st_uid, 0u) << proc << " is owned by uid " << info.st_uid;
}

TEST_F(RootlessTest, RootlessFalseIsRefused) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "burrow's flag check";
  CommandResult result = runtime({"--rootless", "false", "list"});
  EXPECT_NE(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.err.find("--rootless false: burrow runs as uid " + std::to_string(geteuid())),
            std::string::npos)
      << result.describe();
}

TEST_F(RootlessTest, UserNamespaceIsRequired) {
  json config = rootless_config(rootfs_, id_);
  json namespaces = json::array();
  for (const auto& ns : config["linux"]["namespaces"]) {
    if (ns["type"] != "user") namespaces.push_back(ns);
  }
  config["linux"]["namespaces"] = namespaces;
  config["linux"].erase("uidMappings");
  config["linux"].erase("gidMappings");
  write_config(config);
  CommandResult result = runtime({"run", "--bundle", bundle_, id_});
  EXPECT_NE(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.err.find("rootless container requires user namespaces"), std::string::npos)
      << result.describe();
}

// Never dropped silently. Active once cgroup limits are implemented (until then validation
// refuses linux.resources.memory as "not supported yet" first, and the test says so).
TEST_F(RootlessTest, LimitsWithoutDelegationAreRefused) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "burrow's message";
  json config = rootless_config(rootfs_, id_);
  config["linux"]["resources"] = {{"memory", {{"limit", 64 << 20}}}};
  write_config(config);
  CommandResult result = runtime({"run", "--bundle", bundle_, id_});
  EXPECT_NE(result.exit_code, 0) << result.describe();
  if (result.err.find("linux.resources.memory: not supported yet") != std::string::npos)
    GTEST_SKIP() << "cgroup limits are not implemented yet (refused by validation)";
  EXPECT_NE(result.err.find("config.json: linux.resources.memory: cannot apply cgroup limits "
                            "rootless without a delegated cgroup (see README: Rootless)"),
            std::string::npos)
      << result.describe();
  EXPECT_FALSE(fs::exists(state_root_ + "/" + id_));
}

TEST_F(RootlessTest, StateLivesUnderXdgRuntimeDir) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "burrow's default --root";
  const char* runtime_dir = std::getenv("XDG_RUNTIME_DIR");
  if (runtime_dir == nullptr || *runtime_dir == '\0') GTEST_SKIP() << "XDG_RUNTIME_DIR is unset";
  write_config(sleeping(rootless_config(rootfs_, id_)));
  default_root_ids_.push_back(id_);
  CommandResult run = runtime_at("", {"run", "--detach", "--bundle", bundle_, id_});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  std::string dir = std::string(runtime_dir) + "/burrow/" + id_;
  EXPECT_TRUE(fs::exists(dir + "/state.json")) << dir;
  EXPECT_EQ(status_of(runtime_at("", {"state", id_})), "running");
  CommandResult removed = runtime_at("", {"delete", "--force", id_});
  EXPECT_EQ(removed.exit_code, 0) << removed.describe();
  EXPECT_FALSE(fs::exists(dir));
}

TEST_F(RootlessTest, RootlessSpecRuns) {
  CommandResult spec = runtime({"spec", "--rootless", "--bundle", bundle_});
  ASSERT_EQ(spec.exit_code, 0) << spec.describe();
  json config = json::parse(read_text(bundle_ + "/config.json"), nullptr, false);
  ASSERT_TRUE(config.is_object());
  EXPECT_EQ(config["linux"]["uidMappings"][0]["hostID"], getuid());
  EXPECT_EQ(config["linux"]["gidMappings"][0]["hostID"], getgid());
  config["root"]["path"] = rootfs_;
  config["process"]["terminal"] = false;
  config["process"]["args"] = {"/probe"};
  write_config(config);
  CommandResult result = runtime({"run", "--bundle", bundle_, id_});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  json probe = last_json_line(result.out);
  ASSERT_TRUE(probe.is_object()) << result.describe();
  EXPECT_EQ(probe["uid"], 0);
}

}  // namespace
}  // namespace integration
