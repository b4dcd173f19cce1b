// The init's root filesystem steps: the spec's mounts, devices, pivot_root, masked and
// read-only paths (linux/rootfs does the work; this maps InitConfig onto it).
#pragma once

#include "base/error.hpp"
#include "process/init.hpp"

namespace burrow::process {

Status setup_root_filesystem(const InitConfig& config);

}  // namespace burrow::process
