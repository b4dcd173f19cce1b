// burrow delete: remove a stopped container; a created one is killed first (containerd relies on
// it); a running or paused one only with --force. `delete -f` of an unknown id succeeds.
#include <signal.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "base/phase_trace.hpp"
#include "base/syscalls.hpp"
#include "container/cgroup_ops.hpp"
#include "container/delete_container.hpp"
#include "container/lifecycle_hooks.hpp"
#include "container/loaded.hpp"
#include "container/operations.hpp"
#include "container/userns_auto.hpp"
#include "network/watcher.hpp"

namespace burrow::container {
namespace {

constexpr int kExitTimeoutMs = 10000;

Status kill_and_wait(const state::ContainerState& state) {
  auto init = BURROW_TRY(open_init_pidfd(state));
  if (init) {
    BURROW_TRY(sys::pidfd_send_signal(init->get(), SIGKILL));
  }
  // Processes outside the init's pid namespace (or with no pid namespace) die separately.
  BURROW_TRY(kill_in_created_cgroups(state));
  if (init) BURROW_TRY(wait_for_exit(init->get(), kExitTimeoutMs));
  return {};
}

}  // namespace

Status destroy_container(const state::StateStore& store, LoadedContainer&& container) {
  PhaseTrace trace = PhaseTrace::from_env("delete " + container.state.id);
  trace.mark("kill processes");
  // Read before the snapshot goes; a snapshot that cannot be read must not block the delete.
  auto poststop = snapshot_hooks(store, container.state.id, LateHook::poststop);
  if (!poststop) spdlog::warn("poststop hooks: {}", poststop.error().message);
  if (container.status != state::ContainerStatus::stopped)
    BURROW_TRY(kill_and_wait(container.state));
  else  // a stopped init may leave processes behind when it had no pid namespace of its own
    BURROW_TRY(kill_in_created_cgroups(container.state));
  // The watcher stops the helper once the init is gone; this waits for it (or does it itself).
  trace.mark("stop network helpers");
  BURROW_TRY(network::stop_recorded(container.lock.dir()));
  trace.mark("remove cgroups");
  BURROW_TRY(destroy_cgroups(container.state));
  trace.mark("remove state dir");
  std::string id = container.state.id;
  std::optional<uint32_t> id_range = container.state.id_range;
  BURROW_TRY(store.destroy(std::move(container.lock)));
  // After the state dir: a lease whose container dir is gone is free anyway (a crash here).
  if (id_range) {
    Status returned = return_id_range(store.root(), id, *id_range);
    if (!returned) spdlog::warn("{}", returned.error().message);
  }
  trace.mark("poststop hooks");
  if (poststop) {
    Status ran = run_late_hooks(*poststop, LateHook::poststop, container.state);
    if (!ran) spdlog::warn("{}", ran.error().message);
  }
  return {};
}

// A directory without state.json whose lock we hold: a `create` died before saving (create holds
// the lock until it has saved). Nothing else can clean it up, so delete does.
Result<bool> remove_abandoned(const state::StateStore& store, const std::string& id) {
  state::ContainerLock lock = BURROW_TRY(store.lock(id));
  if (::access(store.state_path(id).c_str(), F_OK) == 0 || errno != ENOENT) return false;
  BURROW_TRY(store.destroy(std::move(lock)));
  return true;
}

Status remove(const GlobalOptions& global, const DeleteOptions& options) {
  state::StateStore store(global.root);
  auto loaded = load_container(store, options.id);
  if (!loaded) {
    if (loaded.error().code != ENOENT) return std::move(loaded).error();
    auto abandoned = remove_abandoned(store, options.id);
    if ((abandoned && *abandoned) || options.force) return {};
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
