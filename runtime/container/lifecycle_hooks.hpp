// The hooks the runtime runs after create: poststart (by start, once the process runs) and
// poststop (by delete, once the container is gone). They come from the container's config
// snapshot. A poststart failure fails start and kills the container (runc, crun); a poststop
// failure only warns, as the runtime-spec says.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"
#include "spec/model.hpp"
#include "state/container_state.hpp"
#include "state/store.hpp"

namespace burrow::container {

enum class LateHook { poststart, poststop };

// The container's hooks of that kind. A snapshot that never names the kind is not parsed (every
// start and delete would pay for a JSON parse otherwise).
Result<std::vector<spec::Hook>> snapshot_hooks(const state::StateStore& store,
                                               const std::string& id, LateHook kind);

// Runs them with the state (status "running" or "stopped"), stopping at the first failure.
Status run_late_hooks(const std::vector<spec::Hook>& hooks, LateHook kind,
                      const state::ContainerState& state);

}  // namespace burrow::container
