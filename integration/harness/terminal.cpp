#include "harness/terminal.hpp"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace integration {

using namespace std::chrono_literals;

std::string read_until(int fd, const std::string& marker, std::chrono::milliseconds timeout) {
  std::string text;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (text.find(marker) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    struct pollfd ready = {fd, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) break;
    char buffer[4096];
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  return text;
}

std::string run_on_a_pty(const std::vector<std::string>& args, const std::string& first,
                         const std::string& input, const std::string& marker, int* status) {
  int caller_master = -1;
  struct winsize size {};
  size.ws_row = 41;
  size.ws_col = 97;
  pid_t pid = ::forkpty(&caller_master, nullptr, nullptr, &size);
  if (pid < 0) return "forkpty failed";
  if (pid == 0) {
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    for (auto& arg : copy) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  std::string output = read_until(caller_master, first, 20s);
  (void)!::write(caller_master, input.data(), input.size());
  output += read_until(caller_master, marker, 10s);
  *status = 0;
  for (int i = 0; i < 200 && ::waitpid(pid, status, WNOHANG) == 0; ++i)
    read_until(caller_master, "\x01", 50ms);  // keep the pty drained
  if (::waitpid(pid, status, WNOHANG) == 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, status, 0);
  }
  ::close(caller_master);
  return output;
}

}  // namespace integration
