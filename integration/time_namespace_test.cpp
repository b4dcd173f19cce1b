// The time namespace: a new one with clock offsets (written before any process is in it), the
// probe's clocks shifted by them, with and without a user namespace; wrong offsets refused.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <string>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;

constexpr int64_t kMonotonicOffset = 10 * 86400;  // ten days
constexpr int64_t kBoottimeOffset = 3 * 86400;

double host_clock(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

void add_time_namespace(json& c) {
  c["linux"]["namespaces"].push_back({{"type", "time"}});
  c["linux"]["timeOffsets"] = {{"monotonic", {{"secs", kMonotonicOffset}, {"nanosecs", 0}}},
                               {"boottime", {{"secs", kBoottimeOffset}, {"nanosecs", 500}}}};
}

class TimeNamespace : public ContainerTest {
 protected:
  void SetUp() override {
    ContainerTest::SetUp();
    if (!runtime_is_burrow()) GTEST_SKIP() << "Debian's runc 1.1 has no time namespace support";
  }
  // The probe's clocks against the host's, read around the run: each must lie within
  // [host before + offset, host after + offset].
  void expect_shifted_clocks(const Tweak& tweak) {
    double monotonic_before = host_clock(CLOCK_MONOTONIC);
    double boottime_before = host_clock(CLOCK_BOOTTIME);
    json report = probe_report(tweak);
    double monotonic_after = host_clock(CLOCK_MONOTONIC);
    double boottime_after = host_clock(CLOCK_BOOTTIME);
    ASSERT_TRUE(report.is_object());
    double monotonic = report["clocks"]["monotonic"].get<double>();
    double boottime = report["clocks"]["boottime"].get<double>();
    EXPECT_GE(monotonic, monotonic_before + kMonotonicOffset);
    EXPECT_LE(monotonic, monotonic_after + kMonotonicOffset);
    EXPECT_GE(boottime, boottime_before + kBoottimeOffset);
    EXPECT_LE(boottime, boottime_after + kBoottimeOffset);
    // The init itself is in the namespace, not only its children.
    EXPECT_EQ(report["namespaces"]["time"], report["namespaces"]["time_for_children"]);
    EXPECT_NE(report["namespaces"]["time"], *host_namespace_inode("time"));
  }
};

TEST_F(TimeNamespace, OffsetsShiftTheContainersClocks) {
  expect_shifted_clocks(add_time_namespace);
}

// In a user namespace the init writes its offsets in a short dumpable window (a non-dumpable
// process's /proc files belong to the host's root).
TEST_F(TimeNamespace, OffsetsApplyInsideAUserNamespace) {
  expect_shifted_clocks([](json& c) {
    add_time_namespace(c);
    c["linux"]["namespaces"].push_back({{"type", "user"}});
    c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    auto& mounts = c["mounts"];
    for (auto it = mounts.begin(); it != mounts.end();)
      it = ((*it)["type"] == "cgroup") ? mounts.erase(it) : it + 1;
  });
}

TEST_F(TimeNamespace, WithoutOffsetsTheClocksAreTheHosts) {
  double before = host_clock(CLOCK_MONOTONIC);
  json report = probe_report([](json& c) {
    c["linux"]["namespaces"].push_back({{"type", "time"}});
  });
  double after = host_clock(CLOCK_MONOTONIC);
  ASSERT_TRUE(report.is_object());
  EXPECT_GE(report["clocks"]["monotonic"].get<double>(), before);
  EXPECT_LE(report["clocks"]["monotonic"].get<double>(), after);
  EXPECT_NE(report["namespaces"]["time"], *host_namespace_inode("time"));
}

// A time namespace joined by path, as a pod sandbox's would be: made by a process of the test's
// own with unshare(CLONE_NEWTIME) (its /proc/<pid>/ns/time_for_children) and offset by it.
TEST_F(TimeNamespace, JoinsATimeNamespaceByPath) {
  int ready[2];
  ASSERT_EQ(pipe2(ready, O_CLOEXEC), 0);
  pid_t holder = fork();
  ASSERT_GE(holder, 0);
  if (holder == 0) {
    char byte = 'n';
    if (unshare(CLONE_NEWTIME) == 0) {
      int fd = open("/proc/self/timens_offsets", O_WRONLY);
      std::string text = "monotonic " + std::to_string(kMonotonicOffset) + " 0\n";
      if (fd >= 0 && write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()))
        byte = 'y';
    }
    (void)!write(ready[1], &byte, 1);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char byte = 'n';
  (void)!read(ready[0], &byte, 1);
  close(ready[0]);
  std::string path = "/proc/" + std::to_string(holder) + "/ns/time_for_children";
  double before = host_clock(CLOCK_MONOTONIC);
  json report;
  if (byte == 'y') {
    report = probe_report([&](json& c) {
      c["linux"]["namespaces"].push_back({{"type", "time"}, {"path", path}});
    });
  }
  double after = host_clock(CLOCK_MONOTONIC);
  kill(holder, SIGKILL);
  waitpid(holder, nullptr, 0);
  ASSERT_EQ(byte, 'y') << "could not make the time namespace to join";
  ASSERT_TRUE(report.is_object());
  EXPECT_GE(report["clocks"]["monotonic"].get<double>(), before + kMonotonicOffset);
  EXPECT_LE(report["clocks"]["monotonic"].get<double>(), after + kMonotonicOffset);
}

}  // namespace
}  // namespace integration
