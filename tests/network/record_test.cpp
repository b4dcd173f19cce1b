// Stopping recorded processes: only a process whose pid and start time both match is signalled.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "network/process_tools.hpp"
#include "network/watcher.hpp"
#include "state/status.hpp"

namespace burrow::network {
namespace {

pid_t spawn_sleeper() {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sleep", "sleep", "60", nullptr);
    ::_exit(127);
  }
  return pid;
}

// Has the child exited? Reaps it when so (it is ours).
bool exited(pid_t pid) {
  for (int i = 0; i < 100; ++i) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return true;
    ::usleep(20000);
  }
  return false;
}

class NetworkRecord : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("burrow-record-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(NetworkRecord, StopsRecordedProcesses) {
  pid_t watcher = spawn_sleeper();
  pid_t helper = spawn_sleeper();
  ::usleep(50000);  // exec'd: the start time is the sleeper's
  RunningNetwork running;
  running.mode = Mode::slirp4netns;
  running.watcher = {watcher, *state::process_start_time(watcher)};
  running.helper = {helper, *state::process_start_time(helper)};
  ASSERT_TRUE(save_record(dir_.string(), running).ok());
  ASSERT_TRUE(stop_recorded(dir_.string()).ok());
  EXPECT_TRUE(exited(watcher));
  EXPECT_TRUE(exited(helper));
}

TEST_F(NetworkRecord, NeverSignalsAProcessWithAnotherStartTime) {
  pid_t other = spawn_sleeper();
  ::usleep(50000);
  RunningNetwork running;
  running.watcher = {other, *state::process_start_time(other) + 1};  // a recycled pid
  running.helper = {other, 0};
  ASSERT_TRUE(save_record(dir_.string(), running).ok());
  ASSERT_TRUE(stop_recorded(dir_.string()).ok());
  EXPECT_FALSE(exited(other));
  ::kill(other, SIGKILL);
  EXPECT_TRUE(exited(other));
}

TEST_F(NetworkRecord, NoRecordIsNothingToDo) {
  EXPECT_TRUE(stop_recorded(dir_.string()).ok());
}

TEST_F(NetworkRecord, CorruptRecordIsAnError) {
  std::ofstream(dir_ / "network.json") << "{\"watcher\":";
  auto stopped = stop_recorded(dir_.string());
  ASSERT_FALSE(stopped.ok());
  EXPECT_NE(stopped.error().message.find("network.json"), std::string::npos);
}

TEST(NetworkProcessTools, KeepOnlyFdsMovesThemDownAndClosesTheRest) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t child = ::fork();
  if (child == 0) {
    int high = ::fcntl(pipe_fds[1], F_DUPFD, 40);
    std::vector<int> keep{high, -1, pipe_fds[0]};
    if (!detail::keep_only_fds(keep)) ::_exit(1);
    if (keep != std::vector<int>{3, -1, 4}) ::_exit(2);
    // 3 is the pipe's write end, 4 its read end, nothing above.
    if (::write(3, "x", 1) != 1) ::_exit(3);
    char byte = 0;
    if (::read(4, &byte, 1) != 1 || byte != 'x') ::_exit(4);
    if (::fcntl(5, F_GETFD) != -1 || ::fcntl(40, F_GETFD) != -1) ::_exit(5);
    if (::fcntl(3, F_GETFD) & FD_CLOEXEC) ::_exit(6);
    ::_exit(0);
  }
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(NetworkProcessTools, LastLogLine) {
  std::string path =
      std::filesystem::temp_directory_path() / ("burrow-log-" + std::to_string(::getpid()));
  std::ofstream(path) << "first\nWARNING: x\nthe error\n\n";
  EXPECT_EQ(detail::last_log_line(path), "the error");
  std::filesystem::remove(path);
  EXPECT_EQ(detail::last_log_line(path), "");
}

TEST(NetworkFindHelper, MissingHelperNamesTheAnnotation) {
  // find_helper searches PATH, then /usr/bin and /usr/sbin; "none" is never installed.
  auto found = find_helper(Mode::none);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().message,
            "run.burrow.network=none: none not found (install it or put it in PATH)");
}

}  // namespace
}  // namespace burrow::network
