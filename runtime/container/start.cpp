// burrow start: release a created container's init, blocked in open(exec.fifo, O_WRONLY), by
// opening the read end. The wait watches the init's pidfd too, so a dead init never hangs start,
// and holds no lock (a concurrent `delete` or `state` must not block behind us).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "base/phase_trace.hpp"
#include "base/syscalls.hpp"
#include "container/cgroup_ops.hpp"
#include "container/lifecycle_hooks.hpp"
#include "container/loaded.hpp"
#include "container/operations.hpp"

namespace burrow::container {
namespace {

Status check_startable(state::ContainerStatus status) {
  switch (status) {
    case state::ContainerStatus::created:
      return {};
    case state::ContainerStatus::stopped:
      return Error::msg("cannot start a container that has stopped");
    case state::ContainerStatus::running:
      return Error::msg("cannot start an already running container");
    default:
      return Error::msg(std::string("cannot start a container in the ") +
                        state::status_name(status) + " state");
  }
}

// After "1": why the init's startContainer hooks failed, up to the init's close.
Error read_hook_failure(int fifo) {
  std::string why;
  for (;;) {
    struct pollfd pending = {fifo, POLLIN, 0};
    if (::poll(&pending, 1, 5000) <= 0) break;
    char buffer[4096];
    ssize_t got = ::read(fifo, buffer, sizeof buffer);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) break;
    why.append(buffer, static_cast<size_t>(got));
  }
  return Error::msg("container init: " + why);
}

// After "0": the init closes its end of the fifo (close-on-exec) when execve succeeds, so
// poststart hooks run once the process runs, as the runtime-spec orders them.
void await_exec(int fifo) {
  for (;;) {
    struct pollfd pending = {fifo, POLLIN, 0};
    if (::poll(&pending, 1, -1) < 0 && errno != EINTR) return;
    char byte;
    ssize_t got = ::read(fifo, &byte, 1);
    if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) return;
  }
}

// Reads the init's verdict from the fifo ("0": released), or fails when the init exits first.
Status await_init_release(int fifo, int pidfd) {
  struct pollfd fds[2] = {{fifo, POLLIN, 0}, {pidfd, POLLIN, 0}};
  for (;;) {
    int n = ::poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno("wait for container init");
    if (fds[0].revents & (POLLIN | POLLHUP)) {
      char byte;
      ssize_t got = ::read(fifo, &byte, 1);
      if (got == 1 && byte != '0') return read_hook_failure(fifo);
      if (got == 1) {
        await_exec(fifo);
        return {};
      }
      // End of file: the init wrote its byte to another `start` and closed the fifo.
      if (got == 0) return Error::msg("cannot start an already running container");
      if (got < 0 && errno == EAGAIN) continue;
    }
    if (fds[1].revents) return Error::msg("cannot start a container that has stopped");
  }
}

// runc and crun: a failing poststart hook fails start and kills the container. Waited for, so
// that `state` says stopped once start has returned; `delete` removes the rest.
void kill_after_failed_poststart(int pidfd, const state::ContainerState& state) {
  constexpr int kExitTimeoutMs = 10000;
  if (auto sent = sys::pidfd_send_signal(pidfd, SIGKILL); !sent)
    spdlog::warn("kill the container after its poststart hook failed: {}", sent.error().message);
  // Processes outside the init's pid namespace (or with none) die separately.
  if (auto all = kill_in_created_cgroups(state); !all)
    spdlog::warn("kill the container after its poststart hook failed: {}", all.error().message);
  (void)wait_for_exit(pidfd, kExitTimeoutMs);
}

}  // namespace

Status start(const GlobalOptions& global, const StartOptions& options) {
  PhaseTrace trace = PhaseTrace::from_env("start " + options.id);
  trace.mark("load state and hooks");
  state::StateStore store(global.root);
  Fd fifo;
  Fd pidfd;
  std::vector<spec::Hook> poststart;
  state::ContainerState saved;
  {
    LoadedContainer container = BURROW_TRY(load_container(store, options.id));
    poststart = BURROW_TRY(snapshot_hooks(store, options.id, LateHook::poststart));
    saved = container.state;
    BURROW_TRY(check_startable(container.status));
    auto init = BURROW_TRY(open_init_pidfd(container.state));
    if (!init) return Error::msg("cannot start a container that has stopped");
    pidfd = std::move(*init);
    fifo = BURROW_TRY(sys::open_path(store.exec_fifo_path(options.id), O_RDONLY | O_NONBLOCK));
  }
  trace.mark("release the init (exec fifo)");
  BURROW_TRY(await_init_release(fifo.get(), pidfd.get()));
  trace.mark("poststart hooks");
  // The fifo's absence is what marks the container running from now on.
  if (::unlink(store.exec_fifo_path(options.id).c_str()) < 0 && errno != ENOENT)
    return Error::from_errno("remove exec fifo");
  if (Status ran = run_late_hooks(poststart, LateHook::poststart, saved); !ran) {
    kill_after_failed_poststart(pidfd.get(), saved);
    return ran;
  }
  return {};
}

}  // namespace burrow::container
