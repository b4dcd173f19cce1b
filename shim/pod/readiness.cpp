#include "pod/readiness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "base/syscalls.hpp"

namespace burrow::shim::pod {
namespace {

bool connects(int port, std::chrono::milliseconds patience) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    ok = true;
  } else if (errno == EINPROGRESS) {
    struct pollfd p = {fd, POLLOUT, 0};
    int error = 0;
    socklen_t length = sizeof error;
    ok = ::poll(&p, 1, static_cast<int>(patience.count())) == 1 &&
         ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0;
  }
  ::close(fd);
  return ok;
}

bool all_exist(const std::vector<std::string>& files) {
  return std::all_of(files.begin(), files.end(),
                     [](const std::string& file) { return ::access(file.c_str(), F_OK) == 0; });
}

// Host paths are checked from the host's mount namespace: setns to a network (or user)
// namespace leaves the caller's mounts as they are.
[[noreturn]] void wait_in_child(pid_t pod_pid, const std::vector<int>& ports,
                                std::chrono::milliseconds timeout, bool join_user,
                                const std::vector<std::string>& required_files) {
  std::string ns = "/proc/" + std::to_string(pod_pid) + "/ns/";
  for (const char* type : {"user", "net"}) {
    if (std::string(type) == "user" && !join_user) continue;
    int fd = ::open((ns + type).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::setns(fd, 0) < 0) ::_exit(2);
    ::close(fd);
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (all_exist(required_files)) {
      for (int port : ports) {
        if (connects(port, std::chrono::milliseconds(500))) ::_exit(0);
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) ::_exit(1);
    // Loopback connects are cheap: a short interval makes ready mean ready.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

std::vector<int> ports_to_wait_for(const std::vector<std::string>& exposed_ports,
                                   const std::string& healthcheck_tcp_port) {
  auto parse = [](const std::string& text) -> int {
    try {
      size_t used = 0;
      int port = std::stoi(text, &used);
      return used == text.size() && port > 0 && port < 65536 ? port : 0;
    } catch (const std::exception&) {
      return 0;
    }
  };
  std::vector<int> ports;
  if (!healthcheck_tcp_port.empty()) {
    if (int port = parse(healthcheck_tcp_port)) ports.push_back(port);
    return ports;
  }
  for (const auto& exposed : exposed_ports) {
    size_t slash = exposed.find('/');
    if (slash != std::string::npos && exposed.substr(slash + 1) != "tcp") continue;
    if (int port = parse(exposed.substr(0, slash))) ports.push_back(port);
  }
  std::sort(ports.begin(), ports.end());
  ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
  return ports;
}

Result<runtime::Child> start_port_wait(pid_t pod_pid, const std::vector<int>& ports,
                                       std::chrono::milliseconds timeout, bool join_user,
                                       const std::vector<std::string>& required_files) {
  pid_t pid = ::fork();
  if (pid < 0) return Error::from_errno("fork for the service port check");
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    wait_in_child(pod_pid, ports, timeout, join_user, required_files);
  }
  auto pidfd = sys::pidfd_open(pid);
  if (!pidfd) {
    ::kill(pid, SIGKILL);
    return std::move(pidfd).error();
  }
  return runtime::Child(pid, std::move(pidfd).value());
}

}  // namespace burrow::shim::pod
