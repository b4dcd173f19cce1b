#include "cgroups/manager.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

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

Result<std::vector<std::string>> available_controllers(const std::string& dir) {
  std::string text = BURROW_TRY(fs::read_control(dir, "cgroup.controllers"));
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string c; in >> c;) out.push_back(c);
  return out;
}

Status enable_controllers(const CgroupsContext& ctx, const std::string& mount_point,
                          const std::string& dir, const std::vector<std::string>& controllers) {
  std::string level = mount_point;
  while (level.size() < dir.size()) {
    auto offered = available_controllers(level);
    // Emulated cgroupfs: a level without the file offers what is asked.
    if (!offered && ctx.emulate_cgroupfs && offered.error().code == ENOENT) offered = controllers;
    if (!offered) return std::move(offered).error();
    std::string request;
    for (const auto& c : controllers) {
      if (std::find(offered->begin(), offered->end(), c) != offered->end()) {
        request += (request.empty() ? "+" : " +") + c;
      }
    }
    // A delegated subtree's ancestors are not ours: what they enable is the admin's choice
    // (rootless, runc's manager ignores the EPERM there the same way).
    bool ours = ::access((level + "/cgroup.subtree_control").c_str(), W_OK) == 0 ||
                (errno != EACCES && errno != EPERM);
    if (!request.empty() && ours) {
      BURROW_TRY_CTX(fs::write_control(ctx, level, "cgroup.subtree_control", request),
                     "enable " + request + " for " + dir);
    }
    size_t next = dir.find('/', level.size() + 1);
    level = next == std::string::npos ? dir : dir.substr(0, next);
  }
  return {};
}

Result<std::optional<Route>> PlacementManager::route(const std::string& v1_name,
                                                     const std::string& v2_name) const {
  if (const Placement* p = find(v1_name)) return std::optional<Route>(Route{p, false});
  const Placement* u = unified();
  if (u == nullptr) return std::optional<Route>();
  auto offered = available_controllers(u->hierarchy.mount_point);
  if (!offered) {
    if (offered.error().code == ENOENT) return std::optional<Route>();
    return std::move(offered).error();
  }
  if (std::find(offered->begin(), offered->end(), v2_name) == offered->end()) {
    return std::optional<Route>();
  }
  return std::optional<Route>(Route{u, true});
}

Result<Route> PlacementManager::require_route(const std::string& v1_name,
                                              const std::string& v2_name,
                                              const std::string& field) const {
  auto found = BURROW_TRY(route(v1_name, v2_name));
  if (!found) {
    std::string name = unified_mode_ ? v2_name : v1_name;
    return Error::msg(field + ": the host has no " + name + " cgroup controller", ENOTSUP);
  }
  return *found;
}

Result<std::unique_ptr<Manager>> make_manager(const CgroupsContext& ctx,
                                              const ManagerConfig& config) {
  Layout layout = BURROW_TRY(detect_layout(ctx));
  std::string inner = BURROW_TRY(container_inner_path(config.cgroups_path, config.id));
  std::vector<Placement> placements;
  const auto& only = config.hierarchies;
  for (const auto& h : layout.hierarchies) {
    if (!only.empty() && std::find(only.begin(), only.end(), h.mount_point) == only.end()) continue;
    std::string dir = BURROW_TRY(cgroup_dir(h, inner));
    placements.push_back(Placement{h, dir});
  }
  std::vector<DeviceCgroupRule> rules;
  if (!config.rootless)
    rules = BURROW_TRY(device_cgroup_rules(config.resources.devices, config.devices));
  if (layout.mode == Mode::unified) {
    return make_v2_manager(ctx, std::move(placements), std::move(rules));
  }
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
