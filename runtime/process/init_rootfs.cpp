#include "process/init_rootfs.hpp"

#include "linux/rootfs.hpp"

namespace burrow::process {

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
