// burrow kill: signal the init through a pidfd (never a recycled pid); --all signals every
// process in the container's cgroup. runc's rules: a stopped container is "not running", except
// for --all, which containerd sends to containers that may already be gone.
#include "base/syscalls.hpp"
#include "container/cgroup_ops.hpp"
#include "container/loaded.hpp"
#include "container/operations.hpp"

namespace burrow::container {

Status kill(const GlobalOptions& global, const KillOptions& options) {
  state::StateStore store(global.root);
  LoadedContainer container = BURROW_TRY(load_container(store, options.id));
  bool stopped = container.status == state::ContainerStatus::stopped;
  if (options.all) {
    if (stopped) return {};
    // A container without a cgroup (rootless, none delegated) has no list of its processes: the
    // init is signalled (the end of its pid namespace takes the others).
    if (!container.state.cgroup_paths.empty())
      return signal_all_processes(container.state, options.signal);
  }
  if (stopped) return Error::msg("container not running");
  auto init = BURROW_TRY(open_init_pidfd(container.state));
  if (!init) return Error::msg("container not running");
  return sys::pidfd_send_signal(init->get(), options.signal);
}

}  // namespace burrow::container
