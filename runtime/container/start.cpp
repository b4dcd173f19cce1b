// burrow start: release a created container's init, blocked in open(exec.fifo, O_WRONLY), by
// opening the read end. The wait watches the init's pidfd too, so a dead init never hangs start,
// and holds no lock (a concurrent `delete` or `state` must not block behind us).
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "base/syscalls.hpp"
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

// Reads the init's one byte from the fifo, or fails when the init exits first.
Status await_init_release(int fifo, int pidfd) {
  struct pollfd fds[2] = {{fifo, POLLIN, 0}, {pidfd, POLLIN, 0}};
  for (;;) {
    int n = ::poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno("wait for container init");
    if (fds[0].revents & (POLLIN | POLLHUP)) {
      char byte;
      ssize_t got = ::read(fifo, &byte, 1);
      if (got == 1) return {};
      // End of file: the init wrote its byte to another `start` and closed the fifo.
      if (got == 0) return Error::msg("cannot start an already running container");
      if (got < 0 && errno == EAGAIN) continue;
    }
    if (fds[1].revents) return Error::msg("cannot start a container that has stopped");
  }
}

}  // namespace

Status start(const GlobalOptions& global, const StartOptions& options) {
  state::StateStore store(global.root);
  Fd fifo;
  Fd pidfd;
  {
    LoadedContainer container = BURROW_TRY(load_container(store, options.id));
    BURROW_TRY(check_startable(container.status));
    auto init = BURROW_TRY(open_init_pidfd(container.state));
    if (!init) return Error::msg("cannot start a container that has stopped");
    pidfd = std::move(*init);
    fifo = BURROW_TRY(sys::open_path(store.exec_fifo_path(options.id), O_RDONLY | O_NONBLOCK));
  }
  BURROW_TRY(await_init_release(fifo.get(), pidfd.get()));
  // The fifo's absence is what marks the container running from now on.
  if (::unlink(store.exec_fifo_path(options.id).c_str()) < 0 && errno != ENOENT)
    return Error::from_errno("remove exec fifo");
  return {};
}

}  // namespace burrow::container
