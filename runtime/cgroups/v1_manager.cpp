// v1 backend (legacy and hybrid hosts): one dir in every v1 hierarchy, plus the unified one on
// hybrid hosts (process tracking, cgroup.freeze, cgroup.kill, and controllers such as hugetlb
// that no v1 hierarchy has).
#include "cgroups/backends.hpp"
#include "cgroups/fs_ops.hpp"

namespace burrow::cgroups {
namespace {

class V1Manager : public PlacementManager {
 public:
  V1Manager(CgroupsContext ctx, std::vector<Placement> placements,
            std::vector<DeviceCgroupRule> device_rules)
      : PlacementManager(std::move(ctx), std::move(placements), std::move(device_rules), false) {}

  Status create() override {
    for (const auto& p : placements_) {
      BURROW_TRY_CTX(
          fs::make_cgroup_dirs(ctx_, p.hierarchy.mount_point, p.dir, p.hierarchy.has("cpuset")),
          "create cgroup " + p.dir);
    }
    // No rules at all (rootless: only root may write them): the device cgroup is left alone.
    const Placement* devices = device_rules_.empty() ? nullptr : find("devices");
    if (devices != nullptr) {
      BURROW_TRY_CTX(apply_devices_v1(ctx_, devices->dir, device_rules_), "cgroup " + devices->dir);
    }
    return {};
  }
};

}  // namespace

std::unique_ptr<Manager> make_v1_manager(CgroupsContext ctx, std::vector<Placement> placements,
                                         std::vector<DeviceCgroupRule> device_rules) {
  return std::make_unique<V1Manager>(std::move(ctx), std::move(placements),
                                     std::move(device_rules));
}

}  // namespace burrow::cgroups
