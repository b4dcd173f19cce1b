#include "cgroups/manager.hpp"

#include <fcntl.h>

#include "base/syscalls.hpp"
#include "cgroups/backends.hpp"
#include "cgroups/fs_ops.hpp"

namespace burrow::cgroups {

ManagerConfig ManagerConfig::from_spec(const spec::Spec& spec, const std::string& id) {
  ManagerConfig config;
  config.id = id;
  if (spec.linux) {
    config.cgroups_path = spec.linux->cgroups_path;
    if (spec.linux->resources) config.resources = *spec.linux->resources;
    config.devices = spec.linux->devices;
  }
  return config;
}

Status PlacementManager::add_process(pid_t pid) {
  for (const auto& p : placements_) {
    BURROW_TRY_CTX(fs::write_control(ctx_, p.dir, "cgroup.procs", std::to_string(pid)),
                   "join cgroup " + p.dir);
  }
  return {};
}

std::map<std::string, std::string> PlacementManager::paths() const {
  std::map<std::string, std::string> out;
  for (const auto& p : placements_) out[p.hierarchy.mount_point] = p.dir;
  return out;
}

Result<Fd> PlacementManager::open_unified_dir() const {
  const Placement* p = unified();
  if (p == nullptr) return Error::msg("no cgroup2 hierarchy on this host", ENOENT);
  return sys::open_path(p->dir, O_RDONLY | O_DIRECTORY);
}

Status PlacementManager::destroy() {
  Status first;
  // Every hierarchy is tried, so one busy cgroup does not leave the others behind.
  for (const auto& p : placements_) {
    auto removed = fs::remove_cgroup_tree(ctx_, p.dir);
    if (!removed && first) first = std::move(removed);
  }
  return first;
}

const Placement* PlacementManager::unified() const {
  for (const auto& p : placements_) {
    if (p.hierarchy.unified) return &p;
  }
  return nullptr;
}

const Placement* PlacementManager::find(const std::string& controller) const {
  for (const auto& p : placements_) {
    if (p.hierarchy.has(controller)) return &p;
  }
  return nullptr;
}

Result<std::unique_ptr<Manager>> make_manager(const CgroupsContext& ctx,
                                              const ManagerConfig& config) {
  Layout layout = BURROW_TRY(detect_layout(ctx));
  std::string inner = BURROW_TRY(container_inner_path(config.cgroups_path, config.id));
  std::vector<Placement> placements;
  for (const auto& h : layout.hierarchies) {
    std::string dir = BURROW_TRY(cgroup_dir(h, inner));
    placements.push_back(Placement{h, dir});
  }
  if (layout.mode == Mode::unified) {
    // v2 device rules need eBPF; only the spec's own rules count (runc's defaults would make
    // every container fail here).
    std::vector<DeviceCgroupRule> rules =
        BURROW_TRY(device_cgroup_rules(config.resources.devices, {}));
    rules.resize(config.resources.devices.size());
    return make_v2_manager(ctx, std::move(placements), std::move(rules));
  }
  auto rules = BURROW_TRY(device_cgroup_rules(config.resources.devices, config.devices));
  return make_v1_manager(ctx, std::move(placements), std::move(rules));
}

Result<std::unique_ptr<Manager>> load_manager(const CgroupsContext& ctx,
                                              const std::map<std::string, std::string>& paths) {
  Layout layout = BURROW_TRY(detect_layout(ctx));
  std::vector<Placement> placements;
  for (const auto& [mount_point, dir] : paths) {
    const Hierarchy* h = layout.find_mount(mount_point);
    if (h == nullptr) {
      return Error::msg("cgroup " + dir + ": no hierarchy mounted at " + mount_point + " now");
    }
    placements.push_back(Placement{*h, dir});
  }
  if (layout.mode == Mode::unified) return make_v2_manager(ctx, std::move(placements), {});
  return make_v1_manager(ctx, std::move(placements), {});
}

}  // namespace burrow::cgroups
