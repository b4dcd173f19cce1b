// burrow run: create + start. In the foreground burrow stays as the init's parent (a child
// subreaper, so an init forked into a pid namespace is ours too), forwards signals to it and
// exits with its status; then deletes the container unless --keep.
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/syscalls.hpp"
#include "container/create_container.hpp"
#include "container/delete_container.hpp"
#include "container/foreground.hpp"
#include "container/operations.hpp"
#include "container/terminal_relay.hpp"

#include <optional>
#include <vector>

namespace burrow::container {
namespace {

int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

// Handles one signal: SIGWINCH resizes a relayed terminal, the rest may go to the init.
Status handle_signal(int sfd, const CreatedContainer& created, const TerminalRelay* relay) {
  struct signalfd_siginfo info {};
  ssize_t n = ::read(sfd, &info, sizeof(info));
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return {};
  if (n != sizeof(info)) return Error::from_errno("read signalfd");
  int sig = static_cast<int>(info.ssi_signo);
  if (sig == SIGWINCH && relay) relay->copy_window_size();
  if (forwarded_signal(sig)) (void)sys::pidfd_send_signal(created.init_pidfd.get(), sig);
  return {};
}

// Reaps children until the init exits; forwards signals to it, and relays its terminal when
// it has one of ours.
Result<int> forward_until_exit(CreatedContainer& created, const sigset_t& signals) {
  Fd sfd(::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!sfd) return Error::from_errno("signalfd");
  std::optional<TerminalRelay> relay;
  if (created.console_master) relay.emplace(std::move(created.console_master));
  for (;;) {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid != created.init_pid) continue;
      if (relay) relay->drain_master();
      return exit_code(status);
    }
    std::vector<struct pollfd> fds = {{sfd.get(), POLLIN, 0}};
    if (relay && relay->reading_stdin()) fds.push_back({STDIN_FILENO, POLLIN, 0});
    if (relay && relay->reading_master()) fds.push_back({relay->master(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) return Error::from_errno("poll");
    for (const struct pollfd& ready : fds) {
      if (!ready.revents) continue;
      if (ready.fd == sfd.get())
        BURROW_TRY(handle_signal(sfd.get(), created, relay ? &*relay : nullptr));
      else if (ready.fd == STDIN_FILENO)
        relay->forward_stdin();
      else
        relay->forward_master();
    }
  }
}

Status delete_after_exit(const GlobalOptions& global, const std::string& id) {
  DeleteOptions options;
  options.id = id;
  options.force = true;
  return remove(global, options);
}

}  // namespace

Result<int> run(const GlobalOptions& global, const RunOptions& options) {
  if (options.detach) {
    BURROW_TRY(create_container(global, options.create));
    // As runc: a run whose start fails (a failing startContainer or poststart hook) leaves no
    // container behind.
    if (auto started = start(global, StartOptions{options.create.id}); !started) {
      (void)delete_after_exit(global, options.create.id);
      return std::move(started).error();
    }
    return 0;
  }
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
    return Error::from_errno("become child subreaper");
  BlockedSignals blocked;
  CreateOptions create = options.create;
  create.foreground = true;
  CreatedContainer created = BURROW_TRY(create_container(global, create));
  auto started = start(global, StartOptions{options.create.id});
  if (!started) {
    (void)delete_after_exit(global, options.create.id);
    return std::move(started).error();
  }
  int code = BURROW_TRY(forward_until_exit(created, blocked.set()));
  if (!options.keep) BURROW_TRY(delete_after_exit(global, options.create.id));
  return code;
}

}  // namespace burrow::container
