#include <fcntl.h>
#include <unistd.h>

#include <sstream>

#include <gtest/gtest.h>

#include "base/file.hpp"
#include "runner/process.hpp"

namespace burrow::bench {
namespace {

TEST(Runner, TimedRunReportsTheExitAndTheTime) {
  auto ok = run_timed({"/bin/true"}, {});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_TRUE(ok->status.ok());
  EXPECT_GT(ok->ms, 0.0);
  auto three = run_timed({"/bin/sh", "-c", "exit 3"}, {});
  ASSERT_TRUE(three);
  EXPECT_EQ(three->status.describe(), "exit status 3");
  auto slow = run_timed({"/bin/sleep", "30"}, {}, std::chrono::milliseconds(100));
  ASSERT_TRUE(slow);
  EXPECT_TRUE(slow->status.timed_out);
  EXPECT_EQ(slow->status.describe(), "timed out");
  auto missing = run_timed({"/nonexistent"}, {});
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status.code, 127);
}

TEST(Runner, OutputCwdAndOwnProcessGroup) {
  char path[] = "/tmp/bench-runner-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  SpawnOptions options;
  options.out = fd;
  options.cwd = "/usr";
  auto ran = run_timed({"/bin/sh", "-c", "pwd; ps -o pgid= -p $$ | tr -d ' '; echo $$"}, options);
  close(fd);
  ASSERT_TRUE(ran);
  auto text = file::read(path);
  unlink(path);
  ASSERT_TRUE(text);
  std::istringstream lines(*text);
  std::string cwd, pgid, pid;
  lines >> cwd >> pgid >> pid;
  EXPECT_EQ(cwd, "/usr");
  EXPECT_EQ(pgid, pid) << "the child leads a process group of its own";
}

// The mount namespace crun runs in on a hybrid host: the cgroup2 mounts below /sys/fs/cgroup are
// gone there and stay in the host's.
TEST(Runner, MountNamespaceHidesCgroup2) {
  if (geteuid() != 0) GTEST_SKIP() << "unshare(CLONE_NEWNS) needs root";
  auto mounts = file::read("/proc/self/mounts");
  ASSERT_TRUE(mounts);
  if (mounts->find(" /sys/fs/cgroup/unified cgroup2 ") == std::string::npos) {
    GTEST_SKIP() << "no cgroup2 mount at /sys/fs/cgroup/unified (not a hybrid host)";
  }
  auto hidden = make_mount_namespace(true);
  ASSERT_TRUE(hidden) << hidden.error().message;
  auto plain = make_mount_namespace(false);
  ASSERT_TRUE(plain) << plain.error().message;
  auto count_in = [](int ns) {
    SpawnOptions options;
    options.mount_namespace = ns;
    auto ran = run_timed({"/bin/sh", "-c", "grep -c ' cgroup2 ' /proc/self/mounts"}, options);
    return ran ? ran->status.code : -1;  // grep: 0 found, 1 none
  };
  EXPECT_EQ(count_in(hidden->get()), 1);
  EXPECT_EQ(count_in(plain->get()), 0);
  EXPECT_EQ(count_in(-1), 0);  // the host keeps it
}

}  // namespace
}  // namespace burrow::bench
