#include "container/loaded.hpp"

#include <poll.h>

#include "base/syscalls.hpp"

namespace burrow::container {

Result<LoadedContainer> load_container(const state::StateStore& store, const std::string& id) {
  state::ContainerLock lock = BURROW_TRY(store.lock(id));
  state::ContainerState saved = BURROW_TRY(store.load(lock));
  state::ContainerStatus status =
      BURROW_TRY(state::container_status(saved, store.exec_fifo_path(id)));
  return LoadedContainer{std::move(lock), std::move(saved), status};
}

Result<std::optional<Fd>> open_init_pidfd(const state::ContainerState& state) {
  if (state.init_pid <= 0) return std::optional<Fd>{};
  auto pidfd = sys::pidfd_open(state.init_pid);
  if (!pidfd) {
    if (pidfd.error().code == ESRCH) return std::optional<Fd>{};
    return std::move(pidfd).error();
  }
  // The pidfd pins the process: if its start time is still the recorded one now, it is ours.
  auto stat = state::read_proc_stat(state.init_pid);
  if (!stat || stat->start_time != state.init_start_time || stat->state == 'Z' ||
      stat->state == 'X')
    return std::optional<Fd>{};
  return std::optional<Fd>{std::move(pidfd).value()};
}

Status wait_for_exit(int pidfd, int timeout_ms) {
  struct pollfd pfd {
    pidfd, POLLIN, 0
  };
  for (;;) {
    int n = ::poll(&pfd, 1, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno("wait for container init");
    if (n == 0) return Error::msg("timed out waiting for the container init to exit", ETIMEDOUT);
    return {};
  }
}

}  // namespace burrow::container
