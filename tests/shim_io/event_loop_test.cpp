#include "io/event_loop.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/syscalls.hpp"

namespace burrow::shim::io {
namespace {

using namespace std::chrono_literals;

EventLoop make_loop() {
  auto loop = EventLoop::create();
  EXPECT_TRUE(loop.ok());
  return std::move(loop).value();
}

struct Pipe {
  Pipe() {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    read.reset(fds[0]);
    write.reset(fds[1]);
  }
  Fd read, write;
};

TEST(EventLoop, TimerFiresItsCallback) {
  auto loop = make_loop();
  auto timer = make_timer(20ms);
  ASSERT_TRUE(timer.ok());
  bool fired = false;
  ASSERT_TRUE(loop.watch(timer->get(), EPOLLIN, [&](uint32_t) {
    uint64_t expirations = 0;
    EXPECT_EQ(::read(timer->get(), &expirations, sizeof expirations), 8);
    fired = true;
  }));
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(loop.run_until([&] { return fired; }));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 19ms);
}

TEST(EventLoop, PidfdReportsTheChildsExit) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::usleep(20'000);
    ::_exit(3);
  }
  auto pidfd = sys::pidfd_open(pid);
  ASSERT_TRUE(pidfd.ok());
  auto loop = make_loop();
  int status = -1;
  ASSERT_TRUE(loop.watch(pidfd->get(), EPOLLIN, [&](uint32_t) {
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    loop.unwatch(pidfd->get());
  }));
  ASSERT_TRUE(loop.run_until([&] { return status != -1; }));
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
}

TEST(EventLoop, SignalfdDeliversBlockedSignals) {
  sigset_t old;
  ::sigprocmask(SIG_SETMASK, nullptr, &old);
  auto sfd = make_signalfd({SIGUSR1});
  ASSERT_TRUE(sfd.ok());
  auto loop = make_loop();
  int got = 0;
  ASSERT_TRUE(loop.watch(sfd->get(), EPOLLIN, [&](uint32_t) {
    struct signalfd_siginfo info {};
    ASSERT_EQ(::read(sfd->get(), &info, sizeof info), static_cast<ssize_t>(sizeof info));
    got = static_cast<int>(info.ssi_signo);
  }));
  ::kill(::getpid(), SIGUSR1);
  ASSERT_TRUE(loop.run_until([&] { return got != 0; }));
  EXPECT_EQ(got, SIGUSR1);
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
}

TEST(EventLoop, UnwatchedInTheSameBatchIsNotCalled) {
  Pipe a, b;
  ASSERT_EQ(::write(a.write.get(), "x", 1), 1);
  ASSERT_EQ(::write(b.write.get(), "x", 1), 1);
  auto loop = make_loop();
  int calls = 0;
  auto both_off = [&](uint32_t) {
    ++calls;
    loop.unwatch(a.read.get());  // itself or the other: whichever came first
    loop.unwatch(b.read.get());
  };
  ASSERT_TRUE(loop.watch(a.read.get(), EPOLLIN, both_off));
  ASSERT_TRUE(loop.watch(b.read.get(), EPOLLIN, both_off));
  ASSERT_TRUE(loop.run_once(1s));
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(loop.watching(a.read.get()));
}

TEST(EventLoop, HangupIsReportedWithoutAskingForIt) {
  Pipe p;
  p.write.reset();
  auto loop = make_loop();
  uint32_t seen = 0;
  ASSERT_TRUE(loop.watch(p.read.get(), 0, [&](uint32_t events) { seen = events; }));
  ASSERT_TRUE(loop.run_once(1s));
  EXPECT_TRUE(seen & EPOLLHUP);
}

TEST(EventLoop, ModifyChangesTheEvents) {
  Pipe p;
  auto loop = make_loop();
  uint32_t seen = 0;
  ASSERT_TRUE(loop.watch(p.write.get(), 0, [&](uint32_t events) { seen = events; }));
  ASSERT_TRUE(loop.run_once(10ms));
  EXPECT_EQ(seen, 0u);
  ASSERT_TRUE(loop.modify(p.write.get(), EPOLLOUT));
  ASSERT_TRUE(loop.run_once(1s));
  EXPECT_TRUE(seen & EPOLLOUT);
}

TEST(EventLoop, StopEndsRunUntil) {
  auto loop = make_loop();
  auto timer = make_timer(1ms);
  ASSERT_TRUE(timer.ok());
  ASSERT_TRUE(loop.watch(timer->get(), EPOLLIN, [&](uint32_t) { loop.stop(); }));
  EXPECT_TRUE(loop.run_until([] { return false; }));
}

TEST(EventLoop, FailEndsRunUntilWithTheError) {
  auto loop = make_loop();
  auto timer = make_timer(0ns);
  ASSERT_TRUE(timer.ok());
  ASSERT_TRUE(loop.watch(timer->get(), EPOLLIN, [&](uint32_t) { loop.fail(Error::msg("boom")); }));
  auto st = loop.run_until([] { return false; });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "boom");
}

TEST(EventLoop, NothingToWaitForIsAnErrorNotAHang) {
  auto loop = make_loop();
  EXPECT_FALSE(loop.run_until([] { return false; }).ok());
  EXPECT_TRUE(loop.run_until([] { return true; }).ok());
}

TEST(EventLoop, OneWatchPerFd) {
  Pipe p;
  auto loop = make_loop();
  ASSERT_TRUE(loop.watch(p.read.get(), EPOLLIN, [](uint32_t) {}));
  EXPECT_FALSE(loop.watch(p.read.get(), EPOLLIN, [](uint32_t) {}).ok());
  loop.unwatch(p.read.get());
  EXPECT_TRUE(loop.watch(p.read.get(), EPOLLIN, [](uint32_t) {}).ok());
}

}  // namespace
}  // namespace burrow::shim::io
