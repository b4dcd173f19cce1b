// A container loaded under its lock: its saved state, its status right now, and helpers every
// command needs (a pidfd of the init that can never hit a recycled pid).
#pragma once

#include <optional>
#include <string>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "container/options.hpp"
#include "state/container_state.hpp"
#include "state/status.hpp"
#include "state/store.hpp"

namespace burrow::container {

struct LoadedContainer {
  state::ContainerLock lock;
  state::ContainerState state;
  state::ContainerStatus status = state::ContainerStatus::stopped;
};

Result<LoadedContainer> load_container(const state::StateStore& store, const std::string& id);

// pidfd of the init, or nullopt when it has exited or its pid now belongs to someone else.
Result<std::optional<Fd>> open_init_pidfd(const state::ContainerState& state);

// Blocks until the process behind `pidfd` has exited (it may stay a zombie), up to timeout_ms.
Status wait_for_exit(int pidfd, int timeout_ms);

}  // namespace burrow::container
