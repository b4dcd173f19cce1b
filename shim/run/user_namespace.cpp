#include "run/user_namespace.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "base/fd.hpp"
#include "base/syscalls.hpp"
#include "runtime_client/child.hpp"

namespace burrow::shim::run {
namespace {

std::string caller_name() {
  struct passwd* entry = ::getpwuid(::getuid());
  return entry ? entry->pw_name : std::to_string(::getuid());
}

Status write_map(const char* tool, pid_t pid, uint32_t own, uint32_t first, uint32_t size) {
  // container 0 -> the caller's own id; 1..size -> the subordinate range.
  std::vector<std::string> argv = {
      std::string("/usr/bin/") + tool, std::to_string(pid), "0", std::to_string(own), "1", "1",
      std::to_string(first),           std::to_string(size)};
  runtime::SpawnOptions options;
  options.stdio.err = STDERR_FILENO;
  auto child = BURROW_TRY_CTX(runtime::spawn(argv, options), tool);
  auto status = BURROW_TRY_CTX(child.wait(), tool);
  if (status->code != 0 || status->signal != 0)
    return Error::msg(std::string(tool) + " " + std::to_string(pid) + ": " + status->describe() +
                      " (is the uidmap package installed, and /etc/subuid right?)");
  return {};
}

// In the child: everything up to running the job. Failures exit 240 (the shim's system
// failure) with the reason on stderr.
[[noreturn]] void fail_child(const std::string& what) {
  std::string line = "burrow-shim: user namespace: " + what + "\n";
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
  ::_exit(240);
}

void become_namespace_root(int to_parent, int from_parent, pid_t parent) {
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) fail_child("prctl PR_SET_PDEATHSIG");
  if (::getppid() != parent) ::_exit(240);  // the parent died before the signal was set
  if (::unshare(CLONE_NEWUSER) < 0) fail_child(std::string("unshare: ") + strerror(errno));
  char byte = 1;
  if (::write(to_parent, &byte, 1) != 1) fail_child("tell the parent");
  if (::read(from_parent, &byte, 1) != 1 || byte != 1) ::_exit(240);  // the parent said why
  if (::setresgid(0, 0, 0) < 0 || ::setresuid(0, 0, 0) < 0)
    fail_child(std::string("become root: ") + strerror(errno));
  (void)::setgroups(0, nullptr);
  if (::unshare(CLONE_NEWNS) < 0) fail_child(std::string("unshare mount: ") + strerror(errno));
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0)
    fail_child(std::string("make / private: ") + strerror(errno));
}

}  // namespace

Result<pod::IdRange> caller_subordinate_ids() {
  return pod::subordinate_range(caller_name(), ::getuid(), "/etc/subuid", "/etc/subgid", 65536);
}

Result<std::optional<int>> run_in_user_namespace(const pod::IdRange& subordinate) {
  int up[2], down[2];
  if (::pipe2(up, O_CLOEXEC) < 0 || ::pipe2(down, O_CLOEXEC) < 0) return Error::from_errno("pipe");
  Fd up_read(up[0]), up_write(up[1]), down_read(down[0]), down_write(down[1]);
  // Blocked before the fork: a signal in between reaches the signalfd, not a default handler.
  sigset_t forwarded;
  sigemptyset(&forwarded);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&forwarded, sig);
  sigset_t previous;
  ::sigprocmask(SIG_BLOCK, &forwarded, &previous);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) return Error::from_errno("fork");
  if (pid == 0) {
    up_read.reset();
    down_write.reset();
    become_namespace_root(up_write.get(), down_read.get(), parent);
    ::sigprocmask(SIG_SETMASK, &previous, nullptr);
    return std::optional<int>();
  }
  up_write.reset();
  down_read.reset();
  auto pidfd = sys::pidfd_open(pid);
  if (!pidfd) {
    ::kill(pid, SIGKILL);
    return std::move(pidfd).error();
  }
  runtime::Child child(pid, std::move(pidfd).value());
  char byte = 0;
  if (::read(up_read.get(), &byte, 1) != 1) {
    auto status = child.wait();
    return Error::msg("the user namespace child ended before it was mapped");
  }
  Status mapped = write_map("newuidmap", pid, ::getuid(), subordinate.host_uid, subordinate.size);
  if (mapped)
    mapped = write_map("newgidmap", pid, ::getgid(), subordinate.host_gid, subordinate.size);
  byte = mapped ? 1 : 0;
  (void)::write(down_write.get(), &byte, 1);
  if (!mapped) return std::move(mapped).error();
  Fd signals(::signalfd(-1, &forwarded, SFD_CLOEXEC | SFD_NONBLOCK));
  for (;;) {
    struct pollfd watched[2] = {{child.pidfd(), POLLIN, 0}, {signals.get(), POLLIN, 0}};
    if (::poll(watched, 2, -1) < 0 && errno != EINTR) return Error::from_errno("poll");
    if (watched[1].revents) {
      struct signalfd_siginfo info {};
      while (::read(signals.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info))
        (void)child.signal(static_cast<int>(info.ssi_signo));
    }
    if (watched[0].revents) {
      auto status = BURROW_TRY(child.wait());
      return std::optional<int>(status->shell_code());
    }
  }
}

}  // namespace burrow::shim::run
