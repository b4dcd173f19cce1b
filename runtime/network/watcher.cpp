#include "network/watcher.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "base/syscalls.hpp"
#include "network/helper.hpp"
#include "network/process_tools.hpp"
#include "state/status.hpp"

namespace burrow::network {
namespace {

constexpr int kReportTimeoutMs = 30000;

// Report messages, watcher -> create: "pid N", then "ok N" (the helper's pid) or "error CODE TEXT".
void report(int socket, const std::string& text) {
  (void)!::send(socket, text.data(), text.size(), MSG_NOSIGNAL);
}

Result<std::string> receive(int socket) {
  struct pollfd readable = {socket, POLLIN, 0};
  if (::poll(&readable, 1, kReportTimeoutMs) <= 0)
    return Error::msg("network watcher did not report", ETIMEDOUT);
  char buffer[4096];
  ssize_t got = ::recv(socket, buffer, sizeof(buffer), 0);
  if (got < 0) return Error::from_errno("network watcher report");
  if (got == 0) return Error::msg("network watcher exited without a report", EPIPE);
  return std::string(buffer, static_cast<size_t>(got));
}

// SIGTERM and SIGINT arrive on a signalfd; the rest of the caller's dispositions are dropped.
Result<Fd> watcher_signals() {
  detail::reset_signals();
  ::signal(SIGPIPE, SIG_IGN);
  ::signal(SIGHUP, SIG_IGN);
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  ::sigprocmask(SIG_BLOCK, &stop, nullptr);
  Fd fd(::signalfd(-1, &stop, SFD_CLOEXEC));
  if (!fd) return Error::from_errno("signalfd");
  return fd;
}

// Waits for the init to exit, the helper to die, or a stop request.
void watch(detail::Helper& helper, int init_pidfd, int signal_fd) {
  struct pollfd waits[3] = {
      {init_pidfd, POLLIN, 0}, {helper.pidfd.get(), POLLIN, 0}, {signal_fd, POLLIN, 0}};
  while (::poll(waits, 3, -1) < 0 && errno == EINTR) {
  }
  detail::stop_helper(helper);
}

[[noreturn]] void run_watcher(const StartRequest& request, const std::string& binary, int socket) {
  (void)::prctl(PR_SET_NAME, "burrow-network");
  (void)::prctl(PR_SET_CHILD_SUBREAPER, 1);
  report(socket, "pid " + std::to_string(::getpid()));
  auto fail = [&](const Error& error) {
    report(socket, "error " + std::to_string(error.code) + " " + error.message);
    ::_exit(1);
  };
  auto signals = watcher_signals();
  if (!signals) fail(signals.error());
  Fd log(::open(detail::log_path(request.state_dir).c_str(),
                O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (!log) fail(Error::from_errno("open " + detail::log_path(request.state_dir)));
  detail::HelperContext context{&request.config,   binary,   request.state_dir, request.netns_fd,
                                request.userns_fd, log.get()};
  auto helper = detail::start_helper(context);
  if (!helper) fail(helper.error());
  report(socket, "ok " + std::to_string(helper->pid));
  ::close(socket);
  watch(*helper, request.init_pidfd, signals->get());
  ::_exit(0);
}

// The intermediate child: a new session (no terminal, out of the caller's process group), then
// the watcher, so that the watcher is nobody's child that waits for it.
[[noreturn]] void run_intermediate(StartRequest request, const std::string& binary, int socket) {
  std::vector<int> keep{socket, request.netns_fd, request.userns_fd, request.init_pidfd};
  if (!detail::keep_only_fds(keep) || ::setsid() < 0) ::_exit(1);
  // Not the caller's stdio (they are the container's, and a reader waits for their last writer).
  int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0 || ::dup2(null, 0) < 0 || ::dup2(null, 1) < 0 || ::dup2(null, 2) < 0) ::_exit(1);
  if (null > 2) ::close(null);
  request.netns_fd = keep[1];
  request.userns_fd = keep[2];
  request.init_pidfd = keep[3];
  pid_t pid = ::fork();
  if (pid < 0) ::_exit(1);
  if (pid == 0) run_watcher(request, binary, keep[0]);
  ::_exit(0);
}

Result<ProcessRecord> record_of(pid_t pid) {
  ProcessRecord record{pid, 0};
  record.start_time = BURROW_TRY(state::process_start_time(pid));
  return record;
}

Result<pid_t> parse_pid(const std::string& text, const std::string& prefix) {
  if (text.compare(0, prefix.size(), prefix) != 0)
    return Error::msg("network watcher: unexpected report \"" + text + "\"", EPROTO);
  return static_cast<pid_t>(std::atol(text.c_str() + prefix.size()));
}

Error reported_error(const std::string& text) {
  char* rest = nullptr;
  long code = std::strtol(text.c_str() + 6, &rest, 10);
  return Error::msg(std::string(rest && *rest == ' ' ? rest + 1 : ""), static_cast<int>(code));
}

}  // namespace

Result<std::string> find_helper(Mode mode) {
  std::string name = mode_name(mode);
  const char* path = std::getenv("PATH");
  std::string dirs = std::string(path ? path : "") + ":/usr/bin:/usr/sbin";
  for (size_t start = 0, end; start < dirs.size(); start = end + 1) {
    end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    if (dir.empty() || dir[0] != '/') continue;
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return Error::msg(std::string(kModeAnnotation) + "=" + name + ": " + name +
                        " not found (install it or put it in PATH)",
                    ENOENT);
}

Result<RunningNetwork> start_network(const StartRequest& request) {
  std::string binary = BURROW_TRY(find_helper(request.config.mode));
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
    return Error::from_errno("socketpair");
  Fd ours(pair[0]), theirs(pair[1]);
  pid_t intermediate = ::fork();
  if (intermediate < 0) return Error::from_errno("fork network watcher");
  if (intermediate == 0) {
    ours.reset();
    run_intermediate(request, binary, theirs.get());
  }
  theirs.reset();
  ::waitpid(intermediate, nullptr, 0);
  RunningNetwork running;
  running.mode = request.config.mode;
  std::string first = BURROW_TRY(receive(ours.get()));
  running.watcher.pid = BURROW_TRY(parse_pid(first, "pid "));
  Fd watcher = BURROW_TRY(sys::pidfd_open(running.watcher.pid));
  auto outcome = receive(ours.get());
  if (!outcome || outcome->rfind("ok ", 0) != 0) {
    detail::terminate(watcher.get(), 5000);  // on a reported error it has stopped its helper
    if (!outcome) return std::move(outcome).error();
    if (outcome->rfind("error ", 0) == 0) return reported_error(*outcome);
    return Error::msg("network watcher: unexpected report \"" + *outcome + "\"", EPROTO);
  }
  running.helper.pid = BURROW_TRY(parse_pid(*outcome, "ok "));
  auto watcher_record = record_of(running.watcher.pid);
  auto helper_record = record_of(running.helper.pid);
  if (watcher_record && helper_record) {
    running.watcher = *watcher_record;
    running.helper = *helper_record;
    return running;
  }
  detail::terminate(watcher.get(), 5000);
  return Error::msg("network helper exited right after it was ready", ESRCH);
}

}  // namespace burrow::network
