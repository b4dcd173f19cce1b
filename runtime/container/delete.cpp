// burrow delete: remove a stopped container; a created one is killed first (containerd relies on
// it); a running or paused one only with --force. `delete -f` of an unknown id succeeds.
#include <signal.h>

#include "base/syscalls.hpp"
#include "container/cgroup_ops.hpp"
#include "container/delete_container.hpp"
#include "container/loaded.hpp"
#include "container/operations.hpp"

namespace burrow::container {
namespace {

constexpr int kExitTimeoutMs = 10000;

Status kill_and_wait(const state::ContainerState& state) {
  auto init = BURROW_TRY(open_init_pidfd(state));
  if (init) {
    BURROW_TRY(sys::pidfd_send_signal(init->get(), SIGKILL));
  }
  // Processes outside the init's pid namespace (or with no pid namespace) die separately.
  BURROW_TRY(signal_all_processes(state, SIGKILL));
  if (init) BURROW_TRY(wait_for_exit(init->get(), kExitTimeoutMs));
  return {};
}

}  // namespace

Status destroy_container(const state::StateStore& store, LoadedContainer&& container) {
  if (container.status != state::ContainerStatus::stopped)
    BURROW_TRY(kill_and_wait(container.state));
  BURROW_TRY(destroy_cgroups(container.state));
  return store.destroy(std::move(container.lock));
}

Status remove(const GlobalOptions& global, const DeleteOptions& options) {
  state::StateStore store(global.root);
  auto loaded = load_container(store, options.id);
  if (!loaded) {
    if (options.force && loaded.error().message == "container does not exist") return {};
    return std::move(loaded).error();
  }
  LoadedContainer container = std::move(loaded).value();
  auto status = container.status;
  if (!options.force && status != state::ContainerStatus::stopped &&
      status != state::ContainerStatus::created)
    return Error::msg("cannot delete container " + options.id +
                      " that is not stopped: " + state::status_name(status));
  return destroy_container(store, std::move(container));
}

}  // namespace burrow::container
