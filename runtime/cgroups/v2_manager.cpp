// v2 backend: one cgroup2 hierarchy. Every controller the host offers is enabled from the root
// down to the container's parent (as runc does), so any limit can be written in its cgroup; the
// device rules become an eBPF program attached to the container's cgroup.
#include "cgroups/backends.hpp"
#include "cgroups/device_filter.hpp"
#include "cgroups/fs_ops.hpp"

namespace burrow::cgroups {
namespace {

class V2Manager : public PlacementManager {
 public:
  V2Manager(CgroupsContext ctx, std::vector<Placement> placements,
            std::vector<DeviceCgroupRule> device_rules)
      : PlacementManager(std::move(ctx), std::move(placements), std::move(device_rules), true) {}

  Status create() override {
    for (const auto& p : placements_) {
      const std::string& mount = p.hierarchy.mount_point;
      BURROW_TRY_CTX(fs::make_cgroup_dirs(ctx_, mount, p.dir, false), "create cgroup " + p.dir);
      auto offered = available_controllers(mount);
      if (!offered && !(ctx_.emulate_cgroupfs && offered.error().code == ENOENT)) {
        return std::move(offered).error().wrap("create cgroup " + p.dir);
      }
      if (offered) {
        BURROW_TRY_CTX(enable_controllers(ctx_, mount, p.dir, *offered), "create cgroup " + p.dir);
      }
      // No rules at all (rootless: attaching a program needs root): no device filter.
      if (!device_rules_.empty())
        BURROW_TRY_CTX(attach_device_filter(ctx_, p.dir, device_rules_), "cgroup " + p.dir);
    }
    return {};
  }
};

}  // namespace

std::unique_ptr<Manager> make_v2_manager(CgroupsContext ctx, std::vector<Placement> placements,
                                         std::vector<DeviceCgroupRule> device_rules) {
  return std::make_unique<V2Manager>(std::move(ctx), std::move(placements),
                                     std::move(device_rules));
}

}  // namespace burrow::cgroups
