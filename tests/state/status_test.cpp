#include "state/status.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "base/file.hpp"

namespace burrow::state {
namespace {

TEST(ProcStat, ParsesStateAndStartTimeDespiteOddComm) {
  std::string text =
      "123 (a) b (c)) S 1 123 123 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 55667788 1000 200 "
      "18446744073709551615\n";
  auto st = parse_proc_stat(text);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->start_time, 55667788u);
  EXPECT_FALSE(parse_proc_stat("garbage").ok());
  EXPECT_FALSE(parse_proc_stat("1 (x) S 1 2").ok());
}

TEST(ProcessStartTime, SelfMatchesProcAndMissingPidFails) {
  auto mine = process_start_time(::getpid());
  ASSERT_TRUE(mine.ok()) << mine.error().message;
  EXPECT_GT(*mine, 0u);
  auto gone = process_start_time(0x3ffffff);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ENOENT);
}

TEST(DecideStatus, RuncOrder) {
  ProcStat alive{'S', 100};
  EXPECT_EQ(decide_status(true, 5, 100, std::nullopt, true), ContainerStatus::paused);
  EXPECT_EQ(decide_status(false, 0, 0, std::nullopt, false), ContainerStatus::creating);
  EXPECT_EQ(decide_status(false, 5, 100, std::nullopt, true), ContainerStatus::stopped);
  EXPECT_EQ(decide_status(false, 5, 99, alive, true), ContainerStatus::stopped);  // recycled pid
  EXPECT_EQ(decide_status(false, 5, 100, ProcStat{'Z', 100}, true), ContainerStatus::stopped);
  EXPECT_EQ(decide_status(false, 5, 100, ProcStat{'X', 100}, true), ContainerStatus::stopped);
  EXPECT_EQ(decide_status(false, 5, 100, alive, true), ContainerStatus::created);
  EXPECT_EQ(decide_status(false, 5, 100, alive, false), ContainerStatus::running);
  EXPECT_STREQ(status_name(ContainerStatus::paused), "paused");
  EXPECT_STREQ(status_name(ContainerStatus::creating), "creating");
}

class CgroupFrozenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/burrow-frozen-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    tmp_ = tmpl;
    std::filesystem::create_directories(tmp_ + "/freezer/c1");
    std::filesystem::create_directories(tmp_ + "/unified/c1");
  }
  void TearDown() override { std::filesystem::remove_all(tmp_); }
  void put(const std::string& rel, const std::string& text) {
    ASSERT_TRUE(file::write_atomic(tmp_ + "/" + rel, text).ok());
  }
  std::map<std::string, std::string> paths() {
    return {{tmp_ + "/freezer", tmp_ + "/freezer/c1"}, {tmp_ + "/unified", tmp_ + "/unified/c1"}};
  }
  std::string tmp_;
};

TEST_F(CgroupFrozenTest, FreezerStateOrCgroupFreeze) {
  EXPECT_FALSE(*cgroup_frozen(paths()));  // no files: not frozen
  put("freezer/c1/freezer.state", "THAWED\n");
  put("unified/c1/cgroup.freeze", "0\n");
  EXPECT_FALSE(*cgroup_frozen(paths()));
  put("freezer/c1/freezer.state", "FROZEN\n");
  EXPECT_TRUE(*cgroup_frozen(paths()));
  put("freezer/c1/freezer.state", "THAWED\n");
  put("unified/c1/cgroup.freeze", "1\n");
  EXPECT_TRUE(*cgroup_frozen(paths()));
  EXPECT_FALSE(*cgroup_frozen({{"/x", tmp_ + "/missing"}}));
}

// Only the freezer hierarchy and the cgroup2 dir are read: a "freezer.state" elsewhere (which
// the kernel never makes) is not.
TEST_F(CgroupFrozenTest, ReadsOnlyTheFreezerAndTheCgroup2) {
  std::filesystem::create_directories(tmp_ + "/cpu,cpuacct/c1");
  put("cpu,cpuacct/c1/freezer.state", "FROZEN\n");
  auto with_cpu = paths();
  with_cpu[tmp_ + "/cpu,cpuacct"] = tmp_ + "/cpu,cpuacct/c1";
  EXPECT_FALSE(*cgroup_frozen(with_cpu));
  // A v2 host: its one hierarchy is the cgroup2.
  put("unified/c1/cgroup.freeze", "1\n");
  EXPECT_TRUE(*cgroup_frozen({{tmp_ + "/v2root", tmp_ + "/unified/c1"}}));
}

TEST_F(CgroupFrozenTest, ContainerStatusOfLiveZombieAndGoneChild) {
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  ContainerState st;
  st.init_pid = child;
  st.init_start_time = *process_start_time(child);
  std::string fifo = tmp_ + "/exec.fifo";
  EXPECT_EQ(*container_status(st, fifo), ContainerStatus::running);
  put("exec.fifo", "");
  EXPECT_EQ(*container_status(st, fifo), ContainerStatus::created);
  st.init_start_time += 1;
  EXPECT_EQ(*container_status(st, fifo), ContainerStatus::stopped);
  st.init_start_time -= 1;
  ::kill(child, SIGKILL);
  // Unreaped: a zombie, which is stopped.
  for (int i = 0; i < 200 && read_proc_stat(child)->state != 'Z'; ++i) ::usleep(5000);
  EXPECT_EQ(*container_status(st, fifo), ContainerStatus::stopped);
  ASSERT_EQ(::waitpid(child, nullptr, 0), child);
  EXPECT_EQ(*container_status(st, fifo), ContainerStatus::stopped);
}

}  // namespace
}  // namespace burrow::state
