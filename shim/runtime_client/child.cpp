#include "runtime_client/child.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "base/signals.hpp"
#include "base/syscalls.hpp"

namespace burrow::shim::runtime {
namespace {

// In the forked child: only async-signal-safe calls until execve.
[[noreturn]] void exec_child(const std::vector<std::string>& argv, const SpawnOptions& options,
                             char* const* envp, int report_fd) {
  auto fail = [report_fd](int err) {
    // The parent reads the errno from the close-on-exec report pipe.
    ssize_t ignored = ::write(report_fd, &err, sizeof err);
    (void)ignored;
    ::_exit(127);
  };
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
  if (options.new_session) ::setsid();
  // Move every fd the child gets above the range it is placed in, then into place: a source fd
  // may itself be 0..2+N.
  const int wanted = 3 + static_cast<int>(options.pass_fds.size());
  int sources[3 + 64];
  if (options.pass_fds.size() > 64) fail(E2BIG);
  int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull < 0) fail(errno);
  const int stdio[3] = {options.stdio.in, options.stdio.out, options.stdio.err};
  for (int i = 0; i < wanted; ++i) {
    int from = i < 3 ? (stdio[i] >= 0 ? stdio[i] : devnull) : options.pass_fds[i - 3];
    int moved = ::fcntl(from, F_DUPFD_CLOEXEC, wanted + 1);
    if (moved < 0) fail(errno);
    sources[i] = moved;
  }
  for (int i = 0; i < wanted; ++i) {
    if (::dup2(sources[i], i) < 0) fail(errno);  // dup2 clears FD_CLOEXEC on the copy
  }
  if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) < 0) fail(errno);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  ::execve(args[0], args.data(), envp);
  fail(errno);
  ::_exit(127);
}

}  // namespace

std::string ExitStatus::describe() const {
  if (signal) return "killed by signal " + signal_name(signal);
  return "exit status " + std::to_string(code);
}

Child::Child(Child&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::move(other.pidfd_)),
      status_(std::move(other.status_)) {}

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    this->~Child();
    new (this) Child(std::move(other));
  }
  return *this;
}

Child::~Child() {
  if (pid_ <= 0 || status_) return;
  if (pidfd_) (void)sys::pidfd_send_signal(pidfd_.get(), SIGKILL);
  int raw = 0;
  while (::waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
  }
}

Result<std::optional<ExitStatus>> Child::poll() {
  if (status_) return status_;
  if (pid_ <= 0) return Error::msg("no child process");
  int raw = 0;
  pid_t reaped = ::waitpid(pid_, &raw, WNOHANG);
  if (reaped < 0) return Error::from_errno("waitpid " + std::to_string(pid_));
  if (reaped == 0) return std::optional<ExitStatus>();
  ExitStatus status;
  if (WIFSIGNALED(raw))
    status.signal = WTERMSIG(raw);
  else
    status.code = WEXITSTATUS(raw);
  status_ = status;
  return status_;
}

Result<std::optional<ExitStatus>> Child::wait(std::optional<std::chrono::milliseconds> timeout) {
  if (status_) return status_;
  const auto deadline = timeout ? std::chrono::steady_clock::now() + *timeout
                                : std::chrono::steady_clock::time_point::max();
  for (;;) {
    auto reaped = BURROW_TRY(poll());
    if (reaped) return reaped;
    int wait_ms = -1;
    if (timeout) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::optional<ExitStatus>();
      wait_ms = static_cast<int>(left.count());
    }
    struct pollfd p = {pidfd_.get(), POLLIN, 0};
    if (::poll(&p, 1, wait_ms) < 0 && errno != EINTR) return Error::from_errno("poll pidfd");
  }
}

Status Child::signal(int sig) const {
  if (pid_ <= 0 || status_) return Error::msg("process has exited", ESRCH);
  return sys::pidfd_send_signal(pidfd_.get(), sig);
}

Result<Child> spawn(const std::vector<std::string>& argv, const SpawnOptions& options) {
  if (argv.empty()) return Error::msg("spawn: empty command");
  int report[2];
  if (::pipe2(report, O_CLOEXEC) < 0) return Error::from_errno("pipe");
  Fd report_read(report[0]);
  Fd report_write(report[1]);
  // Built before fork: the child may not allocate.
  std::vector<char*> envp;
  if (!options.env.empty()) {
    for (const auto& var : options.env) envp.push_back(const_cast<char*>(var.c_str()));
    envp.push_back(nullptr);
  }
  char* const* env = options.env.empty() ? environ : envp.data();
  pid_t pid = ::fork();
  if (pid < 0) return Error::from_errno("fork for " + argv[0]);
  if (pid == 0) exec_child(argv, options, env, report_write.get());
  report_write.reset();
  auto pidfd = sys::pidfd_open(pid);
  int err = 0;
  ssize_t got;
  do {
    got = ::read(report_read.get(), &err, sizeof err);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof err)) {
    int raw = 0;
    ::waitpid(pid, &raw, 0);
    return Error::from_errno("execute " + argv[0], err);
  }
  if (!pidfd) {
    ::kill(pid, SIGKILL);
    int raw = 0;
    ::waitpid(pid, &raw, 0);
    return std::move(pidfd).error();
  }
  return Child(pid, std::move(pidfd).value());
}

}  // namespace burrow::shim::runtime
