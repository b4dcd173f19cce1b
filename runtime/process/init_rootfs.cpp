#include "process/init_rootfs.hpp"

#include <fcntl.h>
#include <sys/mount.h>

#include "linux/rootfs.hpp"

namespace burrow::process {
namespace {

// The host's /sys the parent staged is our cwd, in our own copy of the parent's private mount
// namespace, with its masks locked to it (linux/host_sysfs.hpp). A recursive clone keeps them
// locked; it is attached at its turn like any detached mount.
Status clone_staged_sysfs(const InitConfig& config, RootFilesystem& root) {
  for (size_t index : config.staged_sysfs_mounts) {
    Fd clone(::open_tree(AT_FDCWD, ".", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
    if (!clone)
      return Error::from_errno("mounts[" + std::to_string(index) + "]: clone the staged host /sys");
    root.config.detached_mount_fds[index] = clone.get();
    root.staged_clones.push_back(std::move(clone));
  }
  return {};
}

}  // namespace

Result<RootFilesystem> enter_root_filesystem(const InitConfig& config,
                                             const std::function<Status()>& before_pivot) {
  const StepTracker& steps = *config.steps;
  RootFilesystem root;
  root.config = linux::rootfs_config_from_spec(*config.spec, config.rootfs);
  root.config.in_user_namespace |= config.runtime_in_user_namespace;
  root.config.owns_network_namespace = config.owns_network_namespace;
  root.config.no_pivot = config.no_pivot;
  root.config.cgroup_dirs = config.cgroup_dirs;
  root.config.delegated_cgroup = config.delegated_cgroup;
  root.config.detached_mount_fds = config.detached_mount_fds;
  root.config.idmapped_rootfs_fd = config.idmapped_rootfs_fd;
  if (!config.staged_sysfs_mounts.empty()) {
    steps.enter("clone the staged host sysfs");
    BURROW_TRY(clone_staged_sysfs(config, root));
  }
  steps.enter("plan mounts");
  root.plan = BURROW_TRY(linux::plan_mounts(*config.spec, root.config));
  steps.enter("mounts");
  BURROW_TRY(linux::prepare_rootfs(root.plan, root.config));
  BURROW_TRY(before_pivot());
  steps.enter("pivot_root");
  BURROW_TRY(linux::enter_rootfs(root.config));
  return root;
}

Status finish_root_filesystem(const InitConfig& config, const RootFilesystem& root) {
  config.steps->enter("masked and readonly paths");
  return linux::finish_rootfs(root.plan, root.config);
}

}  // namespace burrow::process
