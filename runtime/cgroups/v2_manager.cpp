// v2 backend: one cgroup2 hierarchy. Controllers (subtree_control) come with resources in a
// later issue.
#include "cgroups/backends.hpp"
#include "cgroups/fs_ops.hpp"

namespace burrow::cgroups {
namespace {

class V2Manager : public PlacementManager {
 public:
  using PlacementManager::PlacementManager;

  Status create() override {
    if (!device_rules_.empty()) {
      return Error::msg(
          "linux.resources.devices on cgroup v2 needs an eBPF device filter: not supported yet",
          ENOTSUP);
    }
    for (const auto& p : placements_) {
      BURROW_TRY_CTX(fs::make_cgroup_dirs(ctx_, p.hierarchy.mount_point, p.dir, false),
                     "create cgroup " + p.dir);
    }
    return {};
  }

  Result<bool> is_frozen() const override {
    const Placement* u = unified();
    if (u == nullptr) return false;
    auto freeze = fs::read_control(u->dir, "cgroup.freeze");
    if (freeze) return *freeze == "1";
    if (freeze.error().code == ENOENT) return false;
    return std::move(freeze).error();
  }
};

}  // namespace

std::unique_ptr<Manager> make_v2_manager(CgroupsContext ctx, std::vector<Placement> placements,
                                         std::vector<DeviceCgroupRule> device_rules) {
  return std::make_unique<V2Manager>(std::move(ctx), std::move(placements),
                                     std::move(device_rules));
}

}  // namespace burrow::cgroups
