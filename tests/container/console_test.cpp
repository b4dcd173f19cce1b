// The terminal plumbing of create and exec: a foreground process's pty takes the caller's window
// size before the process exists (the `exec -t` + `stty size` race of issue 17).
#include "container/console.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/fd.hpp"

namespace burrow::container {
namespace {

// A pty pair whose slave has the given window size (0x0: none set).
struct TestPty {
  Fd master;
  Fd slave;
};

TestPty make_pty(unsigned short rows, unsigned short cols) {
  TestPty pty;
  pty.master = Fd(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  EXPECT_TRUE(pty.master) << "posix_openpt: " << std::strerror(errno);
  if (!pty.master) return pty;
  EXPECT_EQ(::unlockpt(pty.master.get()), 0);
  pty.slave = Fd(::open(::ptsname(pty.master.get()), O_RDWR | O_NOCTTY | O_CLOEXEC));
  EXPECT_TRUE(pty.slave);
  struct winsize size {};
  size.ws_row = rows;
  size.ws_col = cols;
  EXPECT_EQ(::ioctl(pty.master.get(), TIOCSWINSZ, &size), 0);
  return pty;
}

// Puts `fd` on stdin for the scope; the test's own stdin comes back after.
class StdinSwap {
 public:
  explicit StdinSwap(int fd) : saved_(::dup(STDIN_FILENO)) { ::dup2(fd, STDIN_FILENO); }
  ~StdinSwap() {
    if (saved_ >= 0) {
      ::dup2(saved_, STDIN_FILENO);
      ::close(saved_);
    } else {
      ::close(STDIN_FILENO);
    }
  }
  StdinSwap(const StdinSwap&) = delete;
  StdinSwap& operator=(const StdinSwap&) = delete;

 private:
  int saved_;
};

spec::Process terminal_process() {
  spec::Process process;
  process.args = {"/bin/sh"};
  process.terminal = true;
  return process;
}

TEST(TerminalWindowSize, ReadsTheSizeOfATerminal) {
  TestPty pty = make_pty(41, 97);
  auto size = terminal_window_size(pty.slave.get());
  ASSERT_TRUE(size);
  EXPECT_EQ(size->height, 41u);
  EXPECT_EQ(size->width, 97u);
}

TEST(TerminalWindowSize, NoneForATerminalWithoutASizeOrANonTerminal) {
  TestPty pty = make_pty(0, 0);
  EXPECT_FALSE(terminal_window_size(pty.slave.get()));
  Fd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  EXPECT_FALSE(terminal_window_size(null.get()));
}

TEST(SizeTerminalLikeCaller, AForegroundTerminalTakesTheCallersSizeUpFront) {
  TestPty pty = make_pty(41, 97);
  StdinSwap swap(pty.slave.get());
  spec::Process process = terminal_process();
  size_terminal_like_caller(process, "");
  ASSERT_TRUE(process.console_size);
  EXPECT_EQ(process.console_size->height, 41u);
  EXPECT_EQ(process.console_size->width, 97u);
}

TEST(SizeTerminalLikeCaller, LeavesProcessesWithoutOurTerminalAlone) {
  TestPty pty = make_pty(41, 97);
  StdinSwap swap(pty.slave.get());
  spec::Process socket_process = terminal_process();
  socket_process.console_size = spec::ConsoleSize{10, 20};
  size_terminal_like_caller(socket_process, "/run/console.sock");  // the socket's owner sizes it
  EXPECT_EQ(socket_process.console_size->height, 10u);
  spec::Process no_terminal = terminal_process();
  no_terminal.terminal = false;
  size_terminal_like_caller(no_terminal, "");
  EXPECT_FALSE(no_terminal.console_size);
}

TEST(SizeTerminalLikeCaller, KeepsTheProcessFilesSizeWhenTheCallerHasNone) {
  Fd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  StdinSwap swap(null.get());
  spec::Process process = terminal_process();
  process.console_size = spec::ConsoleSize{10, 20};
  size_terminal_like_caller(process, "");
  ASSERT_TRUE(process.console_size);
  EXPECT_EQ(process.console_size->width, 20u);
}

}  // namespace
}  // namespace burrow::container
