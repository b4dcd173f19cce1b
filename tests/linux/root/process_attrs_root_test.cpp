// process_attrs in forked children: what the child sees after each call, and exact errors.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/ioprio.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../process_attrs_child.hpp"
#include "linux/capabilities.hpp"
#include "linux/process_attrs.hpp"

namespace burrow::linux {
namespace {

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string message(const Status& st) {
  return st ? "ok" : st.error().message;
}

TEST(ProcessAttrsRoot, UmaskAndNoNewPrivs) {
  auto result = test::run_in_child([]() -> std::string {
    set_umask(0100027);  // bits above 0777 are ignored
    mode_t now = ::umask(0);
    if (auto st = set_no_new_privs(); !st) return st.error().message;
    char mask[8];
    std::snprintf(mask, sizeof(mask), "%04o", static_cast<unsigned>(now));
    return std::string(mask) + " " + std::to_string(::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)) +
           " " + test::status_field("NoNewPrivs");
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report, "0027 1 1");
}

TEST(ProcessAttrsRoot, OomScoreAdjRaisesButCannotLowerWithoutSysResource) {
  auto result = test::run_in_child([]() -> std::string {
    CapabilitySet set;  // drop CAP_SYS_RESOURCE (and the rest): the machine-independent case
    if (auto st = apply_capabilities(set); !st) return st.error().message;
    std::string out = message(set_oom_score_adj(500)) + " ";
    out += read_first_line("/proc/self/oom_score_adj") + " | ";
    out += message(set_oom_score_adj(-500)) + " | ";
    return out + read_first_line("/proc/self/oom_score_adj");
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report,
            "ok 500 | set oom_score_adj to -500: Permission denied (lowering it needs "
            "CAP_SYS_RESOURCE) | 500");
}

TEST(ProcessAttrsRoot, OutOfRangeOomScoreAdj) {
  auto result =
      test::run_in_child([]() -> std::string { return message(set_oom_score_adj(1001)); });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report, "set oom_score_adj to 1001: Invalid argument");
}

TEST(ProcessAttrsRoot, Personality) {
  auto result = test::run_in_child([]() -> std::string {
    if (auto st = set_personality({"LINUX32", {}}); !st) return st.error().message;
    int now = ::personality(0xffffffff);
    if (auto st = set_personality({"LINUX", {}}); !st) return st.error().message;
    return std::to_string(now) + " " + std::to_string(::personality(0xffffffff));
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report, std::to_string(PER_LINUX32) + " " + std::to_string(PER_LINUX));
}

TEST(ProcessAttrsRoot, IoPriority) {
  auto result = test::run_in_child([]() -> std::string {
    if (auto st = set_io_priority({"IOPRIO_CLASS_BE", 6}); !st) return st.error().message;
    long be = ::syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);
    if (auto st = set_io_priority({"IOPRIO_CLASS_IDLE", 0}); !st) return st.error().message;
    long idle = ::syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);
    return std::to_string(be) + " " + std::to_string(idle);
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report, std::to_string(IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 6)) + " " +
                               std::to_string(IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0)));
}

TEST(ProcessAttrsRoot, Scheduler) {
  auto result = test::run_in_child([]() -> std::string {
    spec::Scheduler batch;
    batch.policy = "SCHED_BATCH";
    batch.nice = 7;
    batch.flags = {"SCHED_FLAG_RESET_ON_FORK"};
    if (auto st = set_scheduler(batch); !st) return st.error().message;
    int policy = ::sched_getscheduler(0);
    std::string out = std::to_string(policy & ~SCHED_RESET_ON_FORK) + " " +
                      std::to_string((policy & SCHED_RESET_ON_FORK) != 0) + " " +
                      std::to_string(::getpriority(PRIO_PROCESS, 0));
    spec::Scheduler bad;
    bad.policy = "SCHED_OTHER";
    bad.priority = 5;  // only real-time policies take a priority
    return out + " | " + message(set_scheduler(bad));
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report,
            std::to_string(SCHED_BATCH) + " 1 7 | sched_setattr SCHED_OTHER: Invalid argument");
}

class EnterCwdRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (chroot)";
    char tmpl[] = "/tmp/burrow-cwd-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    ASSERT_EQ(::mkdir((root_ + "/work").c_str(), 0755), 0);
  }
  void TearDown() override {
    if (!root_.empty()) std::filesystem::remove_all(root_);
  }
  std::string root_;
};

TEST_F(EnterCwdRoot, InsideTheRoot) {
  auto result = test::run_in_child([&]() -> std::string {
    if (::chroot(root_.c_str()) < 0 || ::chdir("/") < 0) return "chroot failed";
    if (auto st = enter_cwd("/work"); !st) return st.error().message;
    char buf[256] = {};
    return ::getcwd(buf, sizeof(buf)) ? buf : "getcwd failed";
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report, "/work");
}

TEST_F(EnterCwdRoot, RefusesACwdOutsideTheRoot) {
  // The CVE-2024-21626 shape: the process keeps a working directory outside its new root.
  auto result = test::run_in_child([&]() -> std::string {
    if (::chdir("/tmp") < 0) return "chdir failed";
    if (::chroot(root_.c_str()) < 0) return "chroot failed";
    return message(enter_cwd("."));
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report,
            "current working directory is not absolute -- possible container breakout detected: "
            "cwd is \"(unreachable)/tmp\"");
}

TEST_F(EnterCwdRoot, RefusesAHostDirectoryFdAsCwd) {
  // A leaked directory fd reached by fchdir (what /proc/self/fd/N amounts to) is refused too.
  auto result = test::run_in_child([&]() -> std::string {
    int host_dir = ::open("/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (host_dir < 0) return "open failed";
    if (::chroot(root_.c_str()) < 0 || ::chdir("/") < 0) return "chroot failed";
    if (::fchdir(host_dir) < 0) return "fchdir failed";
    return message(enter_cwd("."));
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report,
            "current working directory is not absolute -- possible container breakout detected: "
            "cwd is \"(unreachable)/tmp\"");
}

}  // namespace
}  // namespace burrow::linux
