#pragma once

#include "base/error.hpp"
#include "container/loaded.hpp"

namespace burrow::container {

// Kills what is left of the container (SIGKILL to the init and its cgroup, waiting for the init
// to exit), removes its cgroups and its state directory. Shared by delete and run.
Status destroy_container(const state::StateStore& store, LoadedContainer&& container);

}  // namespace burrow::container
