#include "linux/process_attrs.hpp"

#include <gtest/gtest.h>
#include <linux/ioprio.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/stat.h>

#include <filesystem>

namespace burrow::linux {
namespace {

TEST(ProcessAttrs, IoPriorityClasses) {
  EXPECT_EQ(ioprio_class_from_name("IOPRIO_CLASS_RT"), 1);
  EXPECT_EQ(ioprio_class_from_name("IOPRIO_CLASS_BE"), 2);
  EXPECT_EQ(ioprio_class_from_name("IOPRIO_CLASS_IDLE"), 3);
  EXPECT_EQ(ioprio_class_from_name("IOPRIO_CLASS_NONE"), std::nullopt);
  EXPECT_EQ(ioprio_class_from_name("BE"), std::nullopt);
}

TEST(ProcessAttrs, SchedulerPolicies) {
  EXPECT_EQ(sched_policy_from_name("SCHED_OTHER"), 0u);
  EXPECT_EQ(sched_policy_from_name("SCHED_FIFO"), 1u);
  EXPECT_EQ(sched_policy_from_name("SCHED_RR"), 2u);
  EXPECT_EQ(sched_policy_from_name("SCHED_BATCH"), 3u);
  EXPECT_EQ(sched_policy_from_name("SCHED_ISO"), 4u);
  EXPECT_EQ(sched_policy_from_name("SCHED_IDLE"), 5u);
  EXPECT_EQ(sched_policy_from_name("SCHED_DEADLINE"), 6u);
  EXPECT_EQ(sched_policy_from_name("SCHED_NORMAL"), std::nullopt);
}

TEST(ProcessAttrs, SchedulerFlags) {
  EXPECT_EQ(sched_flag_from_name("SCHED_FLAG_RESET_ON_FORK"), 0x01u);
  EXPECT_EQ(sched_flag_from_name("SCHED_FLAG_RECLAIM"), 0x02u);
  EXPECT_EQ(sched_flag_from_name("SCHED_FLAG_DL_OVERRUN"), 0x04u);
  EXPECT_EQ(sched_flag_from_name("SCHED_FLAG_KEEP_POLICY"), 0x08u);
  EXPECT_EQ(sched_flag_from_name("SCHED_FLAG_KEEP_PARAMS"), 0x10u);
  EXPECT_EQ(sched_flag_from_name("SCHED_FLAG_UTIL_CLAMP_MIN"), 0x20u);
  EXPECT_EQ(sched_flag_from_name("SCHED_FLAG_UTIL_CLAMP_MAX"), 0x40u);
  EXPECT_EQ(sched_flag_from_name("SCHED_FLAG_ALL"), std::nullopt);
}

// The refusals below happen before any syscall, so they leave the test process unchanged.
TEST(ProcessAttrs, RefusesUnknownNames) {
  auto st = set_personality({"LINUX64", {}});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message, "unknown personality domain \"LINUX64\"");
  st = set_personality({"LINUX", {"ADDR_NO_RANDOMIZE"}});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message, "personality flags are not supported");

  st = set_io_priority({"IOPRIO_CLASS_NONE", 0});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message, "unknown io priority class \"IOPRIO_CLASS_NONE\"");
  st = set_io_priority({"IOPRIO_CLASS_BE", 8});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message, "ioprio_set IOPRIO_CLASS_BE 8: priority must be 0..7");

  spec::Scheduler scheduler;
  scheduler.policy = "SCHED_NORMAL";
  st = set_scheduler(scheduler);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message, "unknown scheduler policy \"SCHED_NORMAL\"");
  scheduler.policy = "SCHED_OTHER";
  scheduler.flags = {"SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_NOPE"};
  st = set_scheduler(scheduler);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message, "unknown scheduler flag \"SCHED_FLAG_NOPE\"");
}

TEST(ProcessAttrs, MissingCwd) {
  auto st = enter_cwd("/burrow/no/such/dir");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message,
            "chdir to cwd (\"/burrow/no/such/dir\") set in config.json failed: No such file or "
            "directory");
  EXPECT_EQ(st.error().code, ENOENT);
}

// runc makes a missing cwd with mkdir -p, 0755.
TEST(ProcessAttrs, MakeCwdMakesEveryMissingDirectory) {
  char tmpl[] = "/tmp/burrow-cwd-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string base = tmpl;
  mode_t old_umask = ::umask(022);
  Status made = make_cwd(base + "/a//b/c/");
  ::umask(old_umask);
  ASSERT_TRUE(made) << made.error().message;
  struct stat st {};
  ASSERT_EQ(::stat((base + "/a/b/c").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  EXPECT_TRUE(make_cwd(base + "/a/b"));  // existing: nothing to do
  Status under_file = make_cwd("/etc/passwd/x");
  ASSERT_FALSE(under_file);
  EXPECT_EQ(under_file.error().message, "mkdir cwd /etc/passwd/x: Not a directory");
  std::filesystem::remove_all(base);
}

}  // namespace
}  // namespace burrow::linux
