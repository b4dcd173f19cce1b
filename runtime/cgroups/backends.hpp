// The two Manager backends over a list of placements (one cgroup dir per hierarchy).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cgroups/devices.hpp"
#include "cgroups/manager.hpp"

namespace burrow::cgroups {

struct Placement {
  Hierarchy hierarchy;
  std::string dir;  // the container's cgroup in it
};

// Shared by both backends: dirs, procs, unified fd, removal.
class PlacementManager : public Manager {
 public:
  PlacementManager(CgroupsContext ctx, std::vector<Placement> placements,
                   std::vector<DeviceCgroupRule> device_rules)
      : ctx_(std::move(ctx)),
        placements_(std::move(placements)),
        device_rules_(std::move(device_rules)) {}

  Status add_process(pid_t pid) override;
  std::map<std::string, std::string> paths() const override;
  Result<Fd> open_unified_dir() const override;
  Status destroy() override;

 protected:
  const Placement* unified() const;
  const Placement* find(const std::string& controller) const;

  CgroupsContext ctx_;
  std::vector<Placement> placements_;
  std::vector<DeviceCgroupRule> device_rules_;
};

std::unique_ptr<Manager> make_v1_manager(CgroupsContext ctx, std::vector<Placement> placements,
                                         std::vector<DeviceCgroupRule> device_rules);
std::unique_ptr<Manager> make_v2_manager(CgroupsContext ctx, std::vector<Placement> placements,
                                         std::vector<DeviceCgroupRule> device_rules);

}  // namespace burrow::cgroups
