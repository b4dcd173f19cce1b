#include "container/terminal_relay.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>

namespace burrow::container {
namespace {

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

TerminalRelay::TerminalRelay(Fd master) : master_(std::move(master)) {
  if (::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &saved_) == 0) {
    struct termios raw = saved_;
    ::cfmakeraw(&raw);
    raw_ = ::tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
  }
  copy_window_size();
}

TerminalRelay::~TerminalRelay() {
  if (raw_) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
}

void TerminalRelay::copy_window_size() const {
  struct winsize size {};
  if (::ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0) ::ioctl(master_.get(), TIOCSWINSZ, &size);
}

void TerminalRelay::forward_stdin() {
  char buffer[4096];
  ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0 || !write_all(master_.get(), buffer, static_cast<size_t>(n))) stdin_open_ = false;
}

void TerminalRelay::forward_master() {
  char buffer[4096];
  ssize_t n = ::read(master_.get(), buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  // EIO: every slave fd is closed (the process and its children are gone).
  if (n <= 0) {
    master_open_ = false;
    return;
  }
  (void)write_all(STDOUT_FILENO, buffer, static_cast<size_t>(n));
}

void TerminalRelay::drain_master() {
  while (master_open_) {
    struct pollfd pending = {master_.get(), POLLIN, 0};
    if (::poll(&pending, 1, 0) != 1) return;
    forward_master();
  }
}

}  // namespace burrow::container
