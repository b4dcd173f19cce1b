#include "process/init_rootfs.hpp"

#include <fcntl.h>
#include <sys/mount.h>

#include "linux/rootfs.hpp"

namespace burrow::process {
namespace {

// What the parent staged on its detour is below our cwd, in our own copy of the detour's mount
// namespace (InitConfig::staging_dir). The host's /sys there has its masks locked to it
// (linux/host_sysfs.hpp): a recursive clone keeps them locked, and is attached at its turn like
// any detached mount.
Status open_staged(const InitConfig& config, RootFilesystem& root) {
  root.staging_dir = Fd(::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root.staging_dir) return Error::from_errno("open the staging dir " + config.staging_dir);
  if (config.staged_rootfs) {
    root.config.staging_dir_fd = root.staging_dir.get();
    root.config.rootfs = config.staging_dir + "/" + linux::kStagedRootfs;
  }
  for (size_t index : config.staged_sysfs_mounts) {
    Fd clone(::open_tree(root.staging_dir.get(), linux::kStagedSysfs,
                         OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
    if (!clone)
      return Error::from_errno("mounts[" + std::to_string(index) + "]: clone the staged host /sys");
    root.config.detached_mount_fds[index] = clone.get();
    root.staged_clones.push_back(std::move(clone));
  }
  return {};
}

}  // namespace

Result<RootFilesystem> enter_root_filesystem(
    const InitConfig& config,
    const std::function<Status(const linux::RootfsConfig&)>& before_pivot) {
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
  if (!config.staging_dir.empty()) {
    steps.enter("open what the parent staged");
    BURROW_TRY(open_staged(config, root));
  }
  steps.enter("plan mounts");
  root.plan = BURROW_TRY(linux::plan_mounts(*config.spec, root.config));
  steps.enter("mounts");
  BURROW_TRY(linux::prepare_rootfs(root.plan, root.config));
  BURROW_TRY(before_pivot(root.config));
  steps.enter("pivot_root");
  BURROW_TRY(linux::enter_rootfs(root.config));
  return root;
}

Status finish_root_filesystem(const InitConfig& config, const RootFilesystem& root) {
  config.steps->enter("masked and readonly paths");
  return linux::finish_rootfs(root.plan, root.config);
}

}  // namespace burrow::process
