// v1 backend (legacy and hybrid hosts): one dir in every v1 hierarchy, plus the unified one on
// hybrid hosts (process tracking, cgroup.freeze, cgroup.kill).
#include "cgroups/backends.hpp"
#include "cgroups/fs_ops.hpp"

namespace burrow::cgroups {
namespace {

class V1Manager : public PlacementManager {
 public:
  using PlacementManager::PlacementManager;

  Status create() override {
    for (const auto& p : placements_) {
      BURROW_TRY_CTX(
          fs::make_cgroup_dirs(ctx_, p.hierarchy.mount_point, p.dir, p.hierarchy.has("cpuset")),
          "create cgroup " + p.dir);
    }
    if (const Placement* devices = find("devices")) {
      BURROW_TRY_CTX(apply_devices_v1(ctx_, devices->dir, device_rules_), "cgroup " + devices->dir);
    }
    return {};
  }

  Result<bool> is_frozen() const override {
    if (const Placement* freezer = find("freezer")) {
      auto state = fs::read_control(freezer->dir, "freezer.state");
      if (state && *state == "FROZEN") return true;
      if (!state && state.error().code != ENOENT) return std::move(state).error();
    }
    if (const Placement* u = unified()) {
      auto freeze = fs::read_control(u->dir, "cgroup.freeze");
      if (freeze && *freeze == "1") return true;
      if (!freeze && freeze.error().code != ENOENT) return std::move(freeze).error();
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Manager> make_v1_manager(CgroupsContext ctx, std::vector<Placement> placements,
                                         std::vector<DeviceCgroupRule> device_rules) {
  return std::make_unique<V1Manager>(std::move(ctx), std::move(placements),
                                     std::move(device_rules));
}

}  // namespace burrow::cgroups
