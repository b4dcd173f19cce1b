// The init's root filesystem steps (linux/rootfs does the work; this maps InitConfig onto it),
// in two halves because runc's order puts hostname and sysctl between them: sysctls are written
// through /proc/sys before readonlyPaths make it read-only.
#pragma once

#include <functional>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "linux/mount_plan.hpp"
#include "process/init.hpp"

namespace burrow::process {

struct RootFilesystem {
  linux::RootfsConfig config;
  linux::MountPlan plan;
  // What the parent staged (InitConfig::staging_dir): the dir (config.staging_dir_fd), and
  // clones of the host's /sys on it (config.detached_mount_fds).
  Fd staging_dir;
  std::vector<Fd> staged_clones;
};

// The spec's mounts and devices, then `before_pivot` (the hooks that run with the mounts in place
// and the host's filesystem still visible), then pivot_root into the rootfs.
Result<RootFilesystem> enter_root_filesystem(
    const InitConfig& config,
    const std::function<Status(const linux::RootfsConfig&)>& before_pivot);
// readonlyPaths, maskedPaths, read-only root, final propagation.
Status finish_root_filesystem(const InitConfig& config, const RootFilesystem& root);

}  // namespace burrow::process
