// The lifecycle commands that work through the cgroups: pause/resume, update, events, kill --all
// and delete. These run on the host tier (hybrid here: the v1 freezer, memory and pids).
#include <linux/magic.h>
#include <sys/statfs.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;

class CgroupLifecycleTest : public ContainerTest {
 protected:
  // Creates and starts the container (cgroupsPath /<id>) running `script` under busybox sh.
  void start_shell(const std::string& script, const Tweak& tweak = {}) {
    create_and_start([&](json& c) {
      c["linux"]["cgroupsPath"] = "/" + id_;
      c["process"]["args"] = json::array({"/bin/sh", "-c", script});
      if (tweak) tweak(c);
    });
  }

  // The container's dir in a v1 hierarchy (cgroupsPath /<id>).
  std::string v1_dir(const std::string& controller) {
    return "/sys/fs/cgroup/" + controller + "/" + id_;
  }
};

bool host_is_cgroup2() {
  struct statfs st {};
  return ::statfs("/sys/fs/cgroup", &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
}

bool has_v1(const std::string& controller) {
  return std::filesystem::exists("/sys/fs/cgroup/" + controller + "/cgroup.procs");
}

// utime + stime of a process, in clock ticks.
uint64_t cpu_ticks(int pid) {
  std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
  std::istringstream in(stat.substr(stat.rfind(')') + 2));
  std::string field;
  uint64_t utime = 0, stime = 0;
  for (int n = 3; n <= 13; ++n) in >> field;
  in >> utime >> stime;
  return utime + stime;
}

char proc_state(int pid) {
  std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
  return stat.size() > stat.rfind(')') + 2 ? stat[stat.rfind(')') + 2] : '?';
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

TEST_F(CgroupLifecycleTest, PauseFreezesAndResumeThaws) {
  start_shell("while :; do :; done");
  int pid = init_pid();
  ASSERT_GT(pid, 0);
  CommandResult paused = runtime({"pause", id_});
  ASSERT_EQ(paused.exit_code, 0) << paused.describe();
  EXPECT_EQ(container_status(id_), "paused");
  uint64_t before = cpu_ticks(pid);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(cpu_ticks(pid), before) << "a frozen busy loop used CPU";
  char state = proc_state(pid);
  EXPECT_TRUE(state == 'D' || state == 'S') << "frozen task state " << state;
  // runc's wording for the wrong state.
  expect_error(runtime({"pause", id_}), "not_running");

  CommandResult resumed = runtime({"resume", id_});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.describe();
  EXPECT_EQ(container_status(id_), "running");
  before = cpu_ticks(pid);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_GT(cpu_ticks(pid), before) << "the thawed loop did not run";
  expect_error(runtime({"resume", id_}), "not_paused");
}

TEST_F(CgroupLifecycleTest, UpdateChangesLimitsInTheCgroup) {
  if (!has_v1("memory") || !has_v1("pids") || !has_v1("cpu"))
    GTEST_SKIP() << "needs v1 memory, pids, cpu";
  start_shell("sleep 60", [](json& c) {
    c["linux"]["resources"]["memory"] = {{"limit", 256 << 20}};
    c["linux"]["resources"]["pids"] = {{"limit", 100}};
  });
  CommandResult updated =
      runtime({"update", "--memory", "64m", "--pids-limit", "20", "--cpu-quota", "30000", id_});
  ASSERT_EQ(updated.exit_code, 0) << updated.describe();
  EXPECT_EQ(trimmed(read_text(v1_dir("memory") + "/memory.limit_in_bytes")), "67108864");
  EXPECT_EQ(trimmed(read_text(v1_dir("pids") + "/pids.max")), "20");
  EXPECT_EQ(trimmed(read_text(v1_dir("cpu") + "/cpu.cfs_quota_us")), "30000");

  write_text(work_ + "/resources.json", R"({"memory": {"limit": 33554432}, "pids": {"limit": 7}})");
  updated = runtime({"update", "--resources", work_ + "/resources.json", id_});
  ASSERT_EQ(updated.exit_code, 0) << updated.describe();
  EXPECT_EQ(trimmed(read_text(v1_dir("memory") + "/memory.limit_in_bytes")), "33554432");
  EXPECT_EQ(trimmed(read_text(v1_dir("pids") + "/pids.max")), "7");
  // Kernel memory limits are taken and ignored, as runc 1.1 does (deprecated since Linux 5.4).
  CommandResult ignored = runtime({"update", "--kernel-memory", "1m", id_});
  EXPECT_EQ(ignored.exit_code, 0) << ignored.describe();
  EXPECT_EQ(trimmed(read_text(v1_dir("memory") + "/memory.limit_in_bytes")), "33554432");
}

// update keeps the container's saved config in step: what it says is what the cgroups hold,
// the fields an update does not name included.
TEST_F(CgroupLifecycleTest, UpdateIsSavedInTheContainersConfig) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "the state directory's layout is burrow's own";
  if (!host_is_cgroup2() && (!has_v1("memory") || !has_v1("pids")))
    GTEST_SKIP() << "needs v1 memory and pids";
  start_shell("sleep 60", [](json& c) {
    c["linux"]["resources"]["memory"] = {{"limit", 256 << 20}};
    c["linux"]["resources"]["pids"] = {{"limit", 100}};
  });
  CommandResult updated = runtime({"update", "--memory", "64m", id_});
  ASSERT_EQ(updated.exit_code, 0) << updated.describe();
  write_text(work_ + "/resources.json", R"({"pids": {"limit": 7}})");
  updated = runtime({"update", "--resources", work_ + "/resources.json", id_});
  ASSERT_EQ(updated.exit_code, 0) << updated.describe();
  json saved = json::parse(read_text(state_root_ + "/" + id_ + "/config.json"), nullptr, false);
  ASSERT_TRUE(saved.is_object());
  const json& resources = saved["linux"]["resources"];
  EXPECT_EQ(resources["memory"]["limit"], 64 << 20) << resources;
  EXPECT_EQ(resources["pids"]["limit"], 7) << resources;
  EXPECT_FALSE(resources["devices"].empty()) << "the rules update cannot change are kept";
  CommandResult exec = runtime({"exec", id_, "/bin/true"});
  EXPECT_EQ(exec.exit_code, 0) << "the saved config still loads: " << exec.describe();
}

TEST_F(CgroupLifecycleTest, EventsStatsShowCpuThrottling) {
  if (!has_v1("cpu")) GTEST_SKIP() << "needs the v1 cpu controller";
  start_shell("while :; do :; done", [](json& c) {
    c["linux"]["resources"]["cpu"] = {{"quota", 10000}, {"period", 100000}};
    c["linux"]["resources"]["pids"] = {{"limit", 50}};
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  CommandResult stats = runtime({"events", "--stats", id_});
  ASSERT_EQ(stats.exit_code, 0) << stats.describe();
  json event = last_json_line(stats.out);
  ASSERT_TRUE(event.is_object()) << stats.describe();
  EXPECT_EQ(event["type"], "stats");
  EXPECT_EQ(event["id"], id_);
  const json& data = event["data"];
  EXPECT_GT(data["cpu"]["throttling"].value("throttledPeriods", 0), 3) << data["cpu"].dump();
  EXPECT_GT(data["cpu"]["throttling"].value("periods", 0), 5) << data["cpu"].dump();
  EXPECT_GT(data["cpu"]["usage"].value("total", 0ull), 0ull);
  EXPECT_EQ(data["pids"].value("limit", 0), 50);
  EXPECT_EQ(data["pids"].value("current", 0), 1);
  EXPECT_GT(data["memory"]["usage"].value("usage", 0), 0) << data["memory"].dump();
}

TEST_F(CgroupLifecycleTest, EventsReportTheOomKill) {
  if (!has_v1("memory")) GTEST_SKIP() << "needs the v1 memory controller";
  // The hog starts after a pause, so `events` is watching before the OOM.
  start_shell("sleep 2; exec tail /dev/zero", [](json& c) {
    c["linux"]["resources"]["memory"] = {{"limit", 16 << 20}, {"swap", 16 << 20}};
  });
  auto events = start_runtime({"events", "--interval", "100ms", id_}, "events");
  ASSERT_TRUE(events->wait_for_output("\"type\":\"stats\"", std::chrono::seconds(2)))
      << read_text(work_ + "/events.err");
  EXPECT_TRUE(events->wait_for_output("\"type\":\"oom\"", std::chrono::seconds(30)));
  std::string out = read_text(work_ + "/events.out");
  EXPECT_NE(out.find("{\"type\":\"oom\",\"id\":\"" + id_ + "\"}"), std::string::npos) << out;
  // burrow's stream ends with the container (runc's runs until the cgroup is gone).
  if (runtime_is_burrow()) {
    CommandResult ended = events->wait(std::chrono::seconds(10));
    EXPECT_EQ(ended.exit_code, 0) << ended.describe();
  }
  for (int i = 0; i < 100 && container_status(id_) != "stopped"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(container_status(id_), "stopped");
}

TEST_F(CgroupLifecycleTest, KillAllReachesEveryProcessAndDeleteLeavesNoCgroup) {
  start_shell("sleep 100 & sleep 100 & (sleep 100 &) ; trap '' TERM; wait");
  std::string procs;
  for (int i = 0; i < 50; ++i) {
    procs = read_text("/sys/fs/cgroup/unified/" + id_ + "/cgroup.procs");
    if (std::count(procs.begin(), procs.end(), '\n') >= 4) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CommandResult killed = runtime({"kill", "--all", id_, "KILL"});
  ASSERT_EQ(killed.exit_code, 0) << killed.describe();
  for (int i = 0; i < 100 && container_status(id_) != "stopped"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(container_status(id_), "stopped");
  CommandResult deleted = runtime({"delete", id_});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.describe();
  std::error_code ec;
  for (const auto& h : std::filesystem::directory_iterator("/sys/fs/cgroup", ec)) {
    EXPECT_FALSE(std::filesystem::exists(h.path() / id_)) << (h.path() / id_);
  }
}

// A signal other than SIGKILL: freeze, signal each process, thaw. The sleepers die of SIGTERM;
// the shell (the namespace's init, without a handler) is spared by the kernel, and exits when
// its children are gone.
TEST_F(CgroupLifecycleTest, KillAllWithTermReachesTheChildren) {
  start_shell("sleep 100 & sleep 100 & wait; exit 7");
  for (int i = 0; i < 50; ++i) {
    CommandResult listed = runtime({"ps", "--format", "json", id_});
    json pids = json::parse(listed.out, nullptr, false);
    if (pids.is_array() && pids.size() >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CommandResult killed = runtime({"kill", "--all", id_, "TERM"});
  ASSERT_EQ(killed.exit_code, 0) << killed.describe();
  for (int i = 0; i < 150 && container_status(id_) != "stopped"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(container_status(id_), "stopped");
}

TEST_F(CgroupLifecycleTest, PsListsTheContainersProcesses) {
  start_shell("sleep 100 & sleep 100");
  int pid = init_pid();
  ASSERT_GT(pid, 0);
  json pids;
  for (int i = 0; i < 50; ++i) {
    CommandResult listed = runtime({"ps", "--format", "json", id_});
    ASSERT_EQ(listed.exit_code, 0) << listed.describe();
    pids = json::parse(listed.out, nullptr, false);
    if (pids.is_array() && pids.size() >= 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(pids.is_array());
  EXPECT_EQ(pids.size(), 2u) << pids.dump();
  EXPECT_NE(std::find(pids.begin(), pids.end(), json(pid)), pids.end()) << pids.dump();
  CommandResult table = runtime({"ps", id_});
  ASSERT_EQ(table.exit_code, 0) << table.describe();
  EXPECT_EQ(table.out.rfind("UID", 0), 0u) << table.out;
  EXPECT_EQ(std::count(table.out.begin(), table.out.end(), '\n'), 3) << table.out;
}

TEST_F(CgroupLifecycleTest, DeleteForceOfAPausedContainer) {
  start_shell("sleep 100");
  ASSERT_EQ(runtime({"pause", id_}).exit_code, 0);
  CommandResult deleted = runtime({"delete", "--force", id_});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.describe();
  std::error_code ec;
  for (const auto& h : std::filesystem::directory_iterator("/sys/fs/cgroup", ec)) {
    EXPECT_FALSE(std::filesystem::exists(h.path() / id_)) << (h.path() / id_);
  }
}

// Sub-cgroups the container made in its own cgroup (its cgroup mount writable: no `ro`, as
// dockerd gives a privileged container) go with it on delete --force, as in runc.
TEST_F(CgroupLifecycleTest, DeleteForceRemovesTheSubCgroupsTheContainerMade) {
  if (host_is_cgroup2()) GTEST_SKIP() << "v1 hierarchies (the VM tier covers v2 delegation)";
  start_shell(
      "mkdir -p /sys/fs/cgroup/pids/made/deeper /sys/fs/cgroup/memory/made && "
      "echo $$ >/sys/fs/cgroup/pids/made/deeper/cgroup.procs && echo made; sleep 100",
      [](json& c) {
        for (auto& m : c["mounts"])
          if (m["type"] == "cgroup") m["options"] = {"nosuid", "noexec", "nodev"};
        c["linux"]["namespaces"].push_back({{"type", "cgroup"}});
      });
  std::string deeper = v1_dir("pids") + "/made/deeper";
  for (int i = 0; i < 100 && read_text(deeper + "/cgroup.procs").empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_FALSE(read_text(deeper + "/cgroup.procs").empty()) << "the container made no sub-cgroup";
  CommandResult deleted = runtime({"delete", "--force", id_});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.describe();
  for (const char* controller : {"pids", "memory"})
    EXPECT_FALSE(std::filesystem::exists(v1_dir(controller))) << v1_dir(controller);
}

// --- cgroup v2 (the VM tier) ---

TEST_F(CgroupLifecycleTest, V2UpdateChangesLimitsInTheCgroup) {
  if (!host_is_cgroup2()) GTEST_SKIP() << "/sys/fs/cgroup is not a cgroup2 (v2 tier runs in a VM)";
  start_shell("sleep 60", [](json& c) {
    c["linux"]["resources"]["memory"] = {{"limit", 256 << 20}};
    c["linux"]["resources"]["pids"] = {{"limit", 100}};
  });
  std::string dir = "/sys/fs/cgroup/" + id_;
  CommandResult updated = runtime({"update", "--memory", "64m", "--pids-limit", "20", "--cpu-quota",
                                   "30000", "--cpu-period", "100000", id_});
  ASSERT_EQ(updated.exit_code, 0) << updated.describe();
  EXPECT_EQ(trimmed(read_text(dir + "/memory.max")), "67108864");
  EXPECT_EQ(trimmed(read_text(dir + "/pids.max")), "20");
  EXPECT_EQ(trimmed(read_text(dir + "/cpu.max")), "30000 100000");
  updated = runtime({"update", "--cpu-period", "200000", id_});
  ASSERT_EQ(updated.exit_code, 0) << updated.describe();
  EXPECT_EQ(trimmed(read_text(dir + "/cpu.max")), "30000 200000") << "the quota is kept";
}

TEST_F(CgroupLifecycleTest, V2EventsReportThrottlingAndTheOomKill) {
  if (!host_is_cgroup2()) GTEST_SKIP() << "/sys/fs/cgroup is not a cgroup2 (v2 tier runs in a VM)";
  start_shell("i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; exec tail /dev/zero",
              [](json& c) {
                c["linux"]["resources"]["cpu"] = {{"quota", 10000}, {"period", 100000}};
                c["linux"]["resources"]["memory"] = {{"limit", 16 << 20}, {"swap", 16 << 20}};
              });
  auto events = start_runtime({"events", "--interval", "200ms", id_}, "events");
  ASSERT_TRUE(events->wait_for_output("\"throttledPeriods\"", std::chrono::seconds(20)))
      << read_text(work_ + "/events.out") << read_text(work_ + "/events.err");
  EXPECT_TRUE(events->wait_for_output("\"type\":\"oom\"", std::chrono::seconds(120)))
      << read_text(work_ + "/events.err");
}

}  // namespace
}  // namespace integration
