// Soak and load (label soak): many lifecycles in a row, many containers at once, many execs into
// one, against the runtime under test (BURROW_TEST_RUNTIME=/usr/sbin/runc runs the same soak on
// runc). Nothing may accumulate: the host's mounts, cgroup dirs, state dirs and this process's
// fds are the same after the soak as before it; the host's available memory and the runtime's
// peak RSS are printed beside them, every tenth of the run, with the cycles per second.
// BURROW_SOAK_CYCLES sets the cycle count (default 100, the CI variant; scripts/soak runs 1000).
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "harness/container_test.hpp"
#include "harness/environment.hpp"

namespace integration {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

// Host mounts that are the test's (under its work dir or the shared rootfs, or naming one of its
// ids): other tests run beside this one and mount their own.
size_t count_mounts(const std::vector<std::string>& needles) {
  std::ifstream in("/proc/self/mountinfo");
  size_t lines = 0;
  for (std::string line; std::getline(in, line);)
    for (const auto& needle : needles)
      if (line.find(needle) != std::string::npos) {
        ++lines;
        break;
      }
  return lines;
}

size_t count_entries(const std::string& dir) {
  std::error_code error;
  size_t entries = 0;
  for (auto it = fs::directory_iterator(dir, error); !error && it != fs::directory_iterator();
       it.increment(error))
    ++entries;
  return entries;
}

// cgroup dirs whose name starts with `prefix` in any hierarchy (the test's ids share one).
size_t cgroup_dirs(const std::string& prefix) {
  size_t found = 0;
  std::error_code error;
  for (const auto& hierarchy : fs::directory_iterator("/sys/fs/cgroup", error)) {
    std::error_code inner;
    for (const auto& dir : fs::directory_iterator(hierarchy.path(), inner))
      if (dir.is_directory() && dir.path().filename().string().starts_with(prefix)) ++found;
  }
  return found;
}

long mem_available_mb() {
  std::ifstream in("/proc/meminfo");
  for (std::string key; in >> key;) {
    long kb = 0;
    in >> kb;
    if (key == "MemAvailable:") return kb / 1024;
    std::string unit;
    std::getline(in, unit);
  }
  return -1;
}

struct Sample {
  size_t mounts, cgroups, states, fds;
  long mem_mb, peak_rss_kb;
};

class Soak : public ContainerTest {
 protected:
  Sample sample() const {
    struct rusage children {};
    ::getrusage(RUSAGE_CHILDREN, &children);
    return {count_mounts({work_, rootfs_, id_}), cgroup_dirs(id_),   count_entries(state_root_),
            count_entries("/proc/self/fd"),      mem_available_mb(), children.ru_maxrss};
  }
  static void print_row(int cycle, double seconds, const Sample& s) {
    std::printf("%7d %9.1f %9.1f %7zu %8zu %7zu %5zu %9ld %12ld\n", cycle, seconds,
                seconds > 0 ? cycle / seconds : 0.0, s.mounts, s.cgroups, s.states, s.fds, s.mem_mb,
                s.peak_rss_kb);
    std::fflush(stdout);
  }
  void sleeper_config() {
    write_config([](json& c) {
      c["process"]["args"] = probe_args({"sleep", "120"});
      c["linux"]["cgroupsPath"] = "";  // the runtime's default: named after the id
    });
  }
};

TEST_F(Soak, LifecyclesLeaveNothingBehind) {
  const char* env = std::getenv("BURROW_SOAK_CYCLES");
  const int cycles = env ? std::max(1, std::atoi(env)) : 100;
  sleeper_config();
  const Sample before = sample();
  std::printf(
      "  cycle   seconds  cycles/s  mounts  cgroups  states   fds  avail MB  peak RSS KB\n");
  print_row(0, 0, before);
  auto start = std::chrono::steady_clock::now();
  for (int i = 1; i <= cycles; ++i) {
    std::string id = id_ + "-c" + std::to_string(i);
    CommandResult created = runtime({"create", "--bundle", bundle_, id});
    ASSERT_EQ(created.exit_code, 0) << "cycle " << i << ": " << created.describe();
    ASSERT_EQ(runtime({"start", id}).exit_code, 0) << "cycle " << i;
    CommandResult exec = runtime({"exec", id, "/probe", "exit", "3"});
    ASSERT_EQ(exec.exit_code, 3) << "cycle " << i << ": " << exec.describe();
    CommandResult deleted = runtime({"delete", "-f", id});
    ASSERT_EQ(deleted.exit_code, 0) << "cycle " << i << ": " << deleted.describe();
    if (i % std::max(1, cycles / 10) == 0 || i == cycles) {
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      print_row(i, seconds, sample());
    }
  }
  const Sample after = sample();
  EXPECT_EQ(after.mounts, before.mounts) << "mounts accumulated";
  EXPECT_EQ(after.cgroups, before.cgroups) << "cgroup dirs accumulated";
  EXPECT_EQ(after.states, before.states) << "state dirs accumulated";
  EXPECT_EQ(after.fds, before.fds) << "this process's fds grew";
}

// 100 containers created at once, all running with pids of their own, then all deleted at once.
TEST_F(Soak, HundredContainersAtOnce) {
  sleeper_config();
  std::vector<std::string> ids;
  std::vector<std::unique_ptr<Command>> runs;
  for (int i = 0; i < 100; ++i) {
    ids.push_back(extra_id("n" + std::to_string(i)));
    runs.push_back(
        start_runtime({"run", "-d", "--bundle", bundle_, ids.back()}, "run" + std::to_string(i)));
  }
  for (size_t i = 0; i < runs.size(); ++i) {
    CommandResult ran = runs[i]->wait(120s);
    EXPECT_EQ(ran.exit_code, 0) << ids[i] << ": " << ran.describe();
  }
  CommandResult listed = runtime({"list", "--format", "json"});
  json all = json::parse(listed.out, nullptr, false);
  ASSERT_TRUE(all.is_array()) << listed.describe();
  std::set<int> pids;
  for (const auto& entry : all) {
    EXPECT_EQ(entry["status"], "running") << entry;
    pids.insert(entry["pid"].get<int>());
  }
  EXPECT_EQ(all.size(), 100u);
  EXPECT_EQ(pids.size(), 100u) << "two containers share an init";
  std::vector<std::unique_ptr<Command>> deletes;
  for (const auto& id : ids) deletes.push_back(start_runtime({"delete", "-f", id}, "delete-" + id));
  for (size_t i = 0; i < deletes.size(); ++i)
    EXPECT_EQ(deletes[i]->wait(120s).exit_code, 0) << ids[i];
  EXPECT_EQ(count_entries(state_root_), 0u);
  EXPECT_EQ(cgroup_dirs(id_), 0u);
}

// 20 execs into one container at once, each with its own exit code.
TEST_F(Soak, TwentyConcurrentExecs) {
  sleeper_config();
  ASSERT_EQ(runtime({"run", "-d", "--bundle", bundle_, id_}).exit_code, 0);
  std::vector<std::unique_ptr<Command>> execs;
  for (int i = 0; i < 20; ++i)
    execs.push_back(start_runtime({"exec", id_, "/probe", "exit", std::to_string(i + 1)},
                                  "exec" + std::to_string(i)));
  for (int i = 0; i < 20; ++i) {
    CommandResult done = execs[i]->wait(60s);
    EXPECT_EQ(done.exit_code, i + 1) << done.describe();
  }
  EXPECT_EQ(container_status(id_), "running");
}

}  // namespace
}  // namespace integration
