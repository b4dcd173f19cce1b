#include "process/init_rootfs.hpp"

#include "linux/mount_plan.hpp"
#include "linux/rootfs.hpp"

namespace burrow::process {

Status setup_root_filesystem(const InitConfig& config) {
  const StepTracker& steps = *config.steps;
  linux::RootfsConfig rootfs = linux::rootfs_config_from_spec(*config.spec, config.rootfs);
  rootfs.no_pivot = config.no_pivot;
  rootfs.cgroup_dirs = config.cgroup_dirs;
  steps.enter("plan mounts");
  linux::MountPlan plan = BURROW_TRY(linux::plan_mounts(*config.spec, rootfs));
  steps.enter("mounts");
  BURROW_TRY(linux::prepare_rootfs(plan, rootfs));
  steps.enter("pivot_root");
  BURROW_TRY(linux::enter_rootfs(rootfs));
  steps.enter("masked and readonly paths");
  BURROW_TRY(linux::finish_rootfs(plan, rootfs));
  return {};
}

}  // namespace burrow::process
