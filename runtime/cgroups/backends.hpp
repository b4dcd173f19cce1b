// The two Manager backends over a list of placements (one cgroup dir per hierarchy).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cgroups/devices.hpp"
#include "cgroups/manager.hpp"

namespace burrow::cgroups {

struct Placement {
  Hierarchy hierarchy;
  std::string dir;  // the container's cgroup in it
};

// Where a controller's files are for this container: a v1 hierarchy's dir, or the cgroup2 dir.
struct Route {
  const Placement* placement = nullptr;
  bool v2 = false;
};

// Shared by both backends: dirs, procs, resources routed per controller, freezer, kill, stats,
// removal. The backends differ in how they create the cgroups.
class PlacementManager : public Manager {
 public:
  PlacementManager(CgroupsContext ctx, std::vector<Placement> placements,
                   std::vector<DeviceCgroupRule> device_rules, bool unified_mode)
      : ctx_(std::move(ctx)),
        placements_(std::move(placements)),
        device_rules_(std::move(device_rules)),
        unified_mode_(unified_mode) {}

  Status add_process(pid_t pid) override;
  Status add_process_near(pid_t pid, pid_t peer) override;
  std::map<std::string, std::string> paths() const override;
  Result<Fd> open_unified_dir() const override;
  Result<Fd> open_unified_dir_of(pid_t peer) const override;
  Status delegate(const Owner& owner) override;
  Status check_resources(const spec::Resources& resources) const override;
  Status check_not_frozen() const override;
  Status apply_resources(const spec::Resources& resources, ApplyMode mode) override;
  Result<bool> is_frozen() const override;
  Status freeze() override;
  Status thaw() override;
  Status kill_all(int signal) override;
  Result<std::vector<pid_t>> pids() const override;
  Result<Stats> stats() const override;
  Result<std::unique_ptr<OomWatcher>> watch_oom() const override;
  Status destroy() override;
  std::optional<std::string> realtime_refusal_reason() const override;

 protected:
  const Placement* unified() const;
  const Placement* find(const std::string& controller) const;
  // The v1 hierarchy with `v1_name`, else the cgroup2 when it offers `v2_name` (its controllers
  // then enabled down to the container's dir on hybrid hosts). nullopt: the host has neither.
  Result<std::optional<Route>> route(const std::string& v1_name, const std::string& v2_name) const;
  // Like route(), but a missing controller is an error naming `field`.
  Result<Route> require_route(const std::string& v1_name, const std::string& v2_name,
                              const std::string& field) const;
  Status set_frozen(bool frozen);
  // The dir of `p`'s hierarchy that `peer` is in, if it is the container's or below it.
  Result<std::string> peer_dir(const Placement& p, pid_t peer) const;

  CgroupsContext ctx_;
  std::vector<Placement> placements_;
  std::vector<DeviceCgroupRule> device_rules_;
  bool unified_mode_ = false;
};

// Writes "+c" for each of `controllers` into cgroup.subtree_control of every cgroup from the
// hierarchy's mount point down to the parent of `dir` (a v2 controller is usable in a cgroup only
// when every ancestor enables it), each level only with those its cgroup.controllers lists.
Status enable_controllers(const CgroupsContext& ctx, const std::string& mount_point,
                          const std::string& dir, const std::vector<std::string>& controllers);
// The controllers a v2 cgroup dir offers (its cgroup.controllers).
Result<std::vector<std::string>> available_controllers(const std::string& dir);

std::unique_ptr<Manager> make_v1_manager(CgroupsContext ctx, std::vector<Placement> placements,
                                         std::vector<DeviceCgroupRule> device_rules);
std::unique_ptr<Manager> make_v2_manager(CgroupsContext ctx, std::vector<Placement> placements,
                                         std::vector<DeviceCgroupRule> device_rules);

}  // namespace burrow::cgroups
