// linux.memoryPolicy: set_mempolicy(2) for the calling thread, inherited by its children and kept
// across execve, so the container's processes allocate on the nodes the config names.
#pragma once

#include "base/error.hpp"
#include "spec/model.hpp"

namespace burrow::linux {

// The validated policy (spec/memory_policy.hpp reads its names); errors name the call, the mode
// and the nodes: "set_mempolicy MPOL_BIND on nodes 7: Invalid argument" (a node the host lacks).
Status set_memory_policy(const spec::MemoryPolicy& policy);

}  // namespace burrow::linux
