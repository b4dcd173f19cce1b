#include "network/process_tools.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <climits>
#include <fstream>

#include "base/syscalls.hpp"

namespace burrow::network::detail {

Status keep_only_fds(std::vector<int>& fds) {
  int count = 0;
  for (int fd : fds) count += fd >= 0;
  // Copies above the target range first, so moving one never clobbers another.
  std::vector<int> copies;
  for (int& fd : fds) {
    if (fd < 0) continue;
    int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 3 + count);
    if (copy < 0) return Error::from_errno("dup fd " + std::to_string(fd));
    copies.push_back(copy);
  }
  int target = 3;
  size_t next = 0;
  for (int& fd : fds) {
    if (fd < 0) continue;
    if (::dup2(copies[next++], target) < 0) return Error::from_errno("dup2");
    fd = target++;
  }
  if (::close_range(static_cast<unsigned>(target), UINT_MAX, 0) < 0)
    return Error::from_errno("close fds");
  return {};
}

void reset_signals() {
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) (void)::sigaction(sig, &action, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

bool wait_exited(int pidfd, int timeout_ms) {
  struct pollfd exited = {pidfd, POLLIN, 0};
  for (;;) {
    int ready = ::poll(&exited, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    return ready != 0;  // an error counts as gone: there is nothing left to wait for
  }
}

void terminate(int pidfd, int grace_ms) {
  if (sys::pidfd_send_signal(pidfd, SIGTERM) && wait_exited(pidfd, grace_ms)) return;
  (void)sys::pidfd_send_signal(pidfd, SIGKILL);
  (void)wait_exited(pidfd, 5000);
}

std::string last_log_line(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

}  // namespace burrow::network::detail
