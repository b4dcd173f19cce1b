// The shape the pod code drives a job in: one loop with the job's output pipes (relay), its
// pidfd (exit) and a timerfd (timeout). No threads, nothing else to wait on.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/syscalls.hpp"
#include "helpers.hpp"
#include "io/event_loop.hpp"
#include "io/job_log.hpp"
#include "io/relay.hpp"
#include "process_helpers.hpp"

namespace burrow::shim::io {
namespace {

using namespace std::chrono_literals;
using testing::Pipe;
using testing::TempDir;

struct JobRun {
  int status = -1;
  bool timed_out = false;
  std::vector<testing::Record> records;
};

// Runs /bin/sh -c `command` with its stdout and stderr relayed into a job log, until it exited and
// its output drained, or `timeout` passed (then SIGKILL through the pidfd, and drain anyway).
JobRun drive(const std::string& command, std::chrono::milliseconds timeout) {
  TempDir dir;
  JobRun run;
  auto loop = std::move(EventLoop::create()).value();
  auto log = std::move(JobLog::open(dir / "job.log")).value();
  Pipe out, err;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out.write.get(), 1);
    ::dup2(err.write.get(), 2);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), nullptr);
    ::_exit(127);
  }
  out.write.reset();
  err.write.reset();
  auto pidfd = std::move(sys::pidfd_open(pid)).value();
  auto timer = std::move(make_timer(timeout)).value();

  Relay relay(loop, {.read_size = 65536, .high_water = 1 << 20, .on_note = [&](const auto& t) {
                       (void)log.note(t);
                     }});
  EXPECT_TRUE(relay.add_source("job stdout", std::move(out.read), Stream::kStdout, {&log}));
  EXPECT_TRUE(relay.add_source("job stderr", std::move(err.read), Stream::kStderr, {&log}));
  EXPECT_TRUE(loop.watch(pidfd.get(), EPOLLIN, [&](uint32_t) {
    EXPECT_EQ(::waitpid(pid, &run.status, 0), pid);
    loop.unwatch(pidfd.get());
    loop.unwatch(timer.get());
  }));
  EXPECT_TRUE(loop.watch(timer.get(), EPOLLIN, [&](uint32_t) {
    run.timed_out = true;
    (void)log.note("job timed out");
    EXPECT_TRUE(sys::pidfd_send_signal(pidfd.get(), SIGKILL));
    loop.unwatch(timer.get());
  }));
  EXPECT_TRUE(loop.run_until([&] { return run.status != -1 && relay.drained("job"); }));
  EXPECT_TRUE(log.end_all());
  run.records = testing::read_log(dir / "job.log");
  return run;
}

TEST(DriveJob, ExitAndOutputFromOneLoop) {
  const auto run = drive("echo out; echo err >&2; printf tail; exit 3", 10s);
  EXPECT_FALSE(run.timed_out);
  ASSERT_TRUE(WIFEXITED(run.status));
  EXPECT_EQ(WEXITSTATUS(run.status), 3);
  EXPECT_EQ(testing::stream_bytes(run.records, "stdout"), "out\ntail");
  EXPECT_EQ(testing::stream_bytes(run.records, "stderr"), "err\n");
}

TEST(DriveJob, TimeoutKillsTheJobAndTheLogStillEnds) {
  // exec: the shell becomes sleep, so the kill closes the last holder of the pipes.
  const auto run = drive("echo started; exec sleep 30", 200ms);
  EXPECT_TRUE(run.timed_out);
  ASSERT_TRUE(WIFSIGNALED(run.status));
  EXPECT_EQ(WTERMSIG(run.status), SIGKILL);
  EXPECT_EQ(testing::stream_bytes(run.records, "stdout"), "started\n");
  EXPECT_EQ(testing::stream_bytes(run.records, "system"), "job timed out\n");
}

}  // namespace
}  // namespace burrow::shim::io
