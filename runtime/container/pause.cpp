// burrow pause / resume: freeze and thaw the container's cgroup. runc's rules: only a created
// or running container can be paused ("container not running"), only a paused one resumed
// ("container not paused"); `state` then says "paused" (the status is read from the freezer).
#include "cgroups/manager.hpp"
#include "container/cgroup_ops.hpp"
#include "container/loaded.hpp"
#include "container/operations.hpp"

namespace burrow::container {

Status pause(const GlobalOptions& global, const PauseOptions& options) {
  state::StateStore store(global.root);
  LoadedContainer container = BURROW_TRY(load_container(store, options.id));
  if (container.status != state::ContainerStatus::running &&
      container.status != state::ContainerStatus::created) {
    return Error::msg("container not running");
  }
  auto manager = BURROW_TRY(load_cgroups(container.state));
  return manager->freeze();
}

Status resume(const GlobalOptions& global, const ResumeOptions& options) {
  state::StateStore store(global.root);
  LoadedContainer container = BURROW_TRY(load_container(store, options.id));
  if (container.status != state::ContainerStatus::paused) {
    return Error::msg("container not paused");
  }
  auto manager = BURROW_TRY(load_cgroups(container.state));
  return manager->thaw();
}

}  // namespace burrow::container
