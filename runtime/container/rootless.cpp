#include "container/rootless.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "cgroups/context.hpp"
#include "cgroups/layout.hpp"
#include "cgroups/manager.hpp"

namespace burrow::container {

Result<bool> resolve_rootless(RootlessMode mode, uid_t euid) {
  switch (mode) {
    case RootlessMode::yes:
      return true;
    case RootlessMode::no:
      if (euid != 0)
        return Error::msg("--rootless false: burrow runs as uid " + std::to_string(euid) +
                              ", not root; only root can run without rootless mode",
                          EPERM);
      return false;
    case RootlessMode::automatic:
      break;
  }
  return euid != 0;
}

std::string default_state_root(bool rootless, uid_t euid, const char* xdg_runtime_dir,
                               bool user_namespace_root) {
  bool has_xdg = xdg_runtime_dir != nullptr && *xdg_runtime_dir != '\0';
  if (!rootless) {
    return user_namespace_root && has_xdg ? std::string(xdg_runtime_dir) + "/burrow"
                                          : "/run/burrow";
  }
  if (has_xdg) return std::string(xdg_runtime_dir) + "/burrow";
  return "/tmp/burrow-" + std::to_string(euid);
}

bool is_initial_uid_map(const std::string& uid_map) {
  std::istringstream lines(uid_map);
  std::string line;
  if (!std::getline(lines, line)) return false;
  std::istringstream fields(line);
  uint64_t inside = 1, outside = 1, count = 0;
  if (!(fields >> inside >> outside >> count)) return false;
  std::string rest;
  return inside == 0 && outside == 0 && count == 4294967295ull && !std::getline(lines, rest);
}

bool running_in_user_namespace() {
  std::ifstream file("/proc/self/uid_map");
  std::ostringstream text;
  text << file.rdbuf();
  // Unreadable: assume the host's, which keeps root mode's behaviour.
  return file.good() && !text.str().empty() && !is_initial_uid_map(text.str());
}

Status check_rootless_state_root(const std::string& root, uid_t euid) {
  struct stat st {};
  if (::lstat(root.c_str(), &st) < 0) {
    if (errno == ENOENT) return {};  // made 0700 by the state store
    return Error::from_errno("state root " + root);
  }
  if (!S_ISDIR(st.st_mode)) return Error::msg("state root " + root + ": not a directory", ENOTDIR);
  if (st.st_uid != euid)
    return Error::msg("state root " + root + ": owned by uid " + std::to_string(st.st_uid) +
                          ", not by us (uid " + std::to_string(euid) + "); pass --root",
                      EPERM);
  return {};
}

std::vector<CgroupLimit> requested_cgroup_limits(const spec::Resources& r) {
  // A section written as an empty object asks for nothing (runc's example configs carry some).
  std::vector<CgroupLimit> out;
  auto add = [&out](const char* field, const char* controller) {
    out.push_back(CgroupLimit{field, controller});
  };
  if (const auto& m = r.memory;
      m && (m->limit || m->reservation || m->swap || m->swappiness || m->disable_oom_killer ||
            m->use_hierarchy || m->check_before_update))
    add("linux.resources.memory", "memory");
  if (const auto& c = r.cpu) {
    if (c->shares || c->quota || c->burst || c->period || c->realtime_runtime ||
        c->realtime_period || c->idle)
      add("linux.resources.cpu", "cpu");
    if (!c->cpus.empty() || !c->mems.empty()) add("linux.resources.cpu", "cpuset");
  }
  if (r.pids_limit) add("linux.resources.pids", "pids");
  if (const auto& b = r.block_io;
      b && (b->weight || b->leaf_weight || !b->weight_device.empty() ||
            !b->throttle_read_bps_device.empty() || !b->throttle_write_bps_device.empty() ||
            !b->throttle_read_iops_device.empty() || !b->throttle_write_iops_device.empty()))
    add("linux.resources.blockIO", "blkio");
  if (!r.hugepage_limits.empty()) add("linux.resources.hugepageLimits", "hugetlb");
  if (r.network && r.network->class_id) add("linux.resources.network", "net_cls");
  if (r.network && !r.network->priorities.empty()) add("linux.resources.network", "net_prio");
  if (!r.rdma.empty()) add("linux.resources.rdma", "rdma");
  if (!r.unified.empty()) add("linux.resources.unified", "");
  return out;
}

std::string first_cgroup_limit(const spec::Resources& r) {
  auto limits = requested_cgroup_limits(r);
  return limits.empty() ? "" : limits.front().field;
}

namespace {

// Does `limit` write into hierarchy `h`? v1 hierarchies by controller; the cgroup2 for
// everything on a unified host, and on a hybrid one for linux.resources.unified and the
// controllers no v1 hierarchy has (where the Manager routes them).
bool limit_needs(const CgroupLimit& limit, const cgroups::Hierarchy& h,
                 const cgroups::Layout& layout) {
  if (!h.unified) return !limit.controller.empty() && h.has(limit.controller);
  if (layout.mode == cgroups::Mode::unified || limit.controller.empty()) return true;
  return layout.find(limit.controller) == nullptr;
}

std::string parent_dir(const std::string& dir) {
  size_t slash = dir.find_last_of('/');
  return slash == std::string::npos || slash == 0 ? "/" : dir.substr(0, slash);
}

// The deepest dir both `a` and `b` are in (both absolute and clean).
std::string common_ancestor(const std::string& a, const std::string& b) {
  size_t end = 0;
  for (size_t i = 0; i <= a.size() && i <= b.size(); ++i) {
    bool a_ends = i == a.size() || a[i] == '/';
    bool b_ends = i == b.size() || b[i] == '/';
    if (a_ends && b_ends) end = i;
    if (i == a.size() || i == b.size() || a[i] != b[i]) break;
  }
  return end == 0 ? "/" : a.substr(0, end);
}

// Why the container's cgroup in `h` cannot be ours, "" when it can. cgroup2 also asks, to move
// a process (clone3 into the cgroup too), for write access to the common ancestor of its old and
// new cgroup: burrow must run from a cgroup in the delegated subtree.
std::string unusable_because(const cgroups::Hierarchy& h, const std::string& dir, uid_t euid,
                             const std::function<bool(const std::string&)>& writable) {
  std::string parent = parent_dir(dir);
  if (!writable(parent))
    return parent + " is not writable by uid " + std::to_string(euid) +
           " (delegate it: see README: Rootless)";
  if (!h.unified) return "";
  std::string own = h.mount_point + (h.own_cgroup == "/" ? "" : h.own_cgroup);
  std::string ancestor = common_ancestor(own, dir);
  if (writable(ancestor)) return "";
  return "moving a process from " + own + " into " + dir + " needs " + ancestor +
         ", which is not writable by uid " + std::to_string(euid) +
         " (run burrow from a cgroup in the delegated subtree: see README: Rootless)";
}

}  // namespace

Result<std::vector<std::string>> delegated_hierarchies(
    const cgroups::Layout& layout, const std::string& inner, const spec::Resources& resources,
    uid_t euid, const std::function<bool(const std::string&)>& writable) {
  auto limits = requested_cgroup_limits(resources);
  std::vector<std::string> usable;
  for (const auto& h : layout.hierarchies) {
    std::string dir = BURROW_TRY(cgroups::cgroup_dir(h, inner));
    std::string why = unusable_because(h, dir, euid, writable);
    if (why.empty()) {
      usable.push_back(h.mount_point);
      continue;
    }
    for (const auto& limit : limits) {
      if (limit_needs(limit, h, layout))
        return Error::msg(
            "config.json: " + limit.field + ": cannot apply cgroup limits rootless: " + why, EPERM);
    }
    spdlog::debug("rootless: no cgroup in {}, no limit needs it: {}", h.mount_point, why);
  }
  return usable;
}

Status check_rootless_cgroup_limits(const spec::Spec& spec, bool delegated_cgroup) {
  if (delegated_cgroup || !spec.linux || !spec.linux->resources) return {};
  std::string limit = first_cgroup_limit(*spec.linux->resources);
  if (limit.empty()) return {};
  return Error::msg("config.json: " + limit +
                        ": cannot apply cgroup limits rootless without a delegated cgroup (see "
                        "README: Rootless)",
                    EPERM);
}

Result<std::map<std::string, std::string>> caller_cgroup_dirs() {
  cgroups::CgroupsContext ctx = BURROW_TRY(cgroups::host_context());
  cgroups::Layout layout = BURROW_TRY(cgroups::detect_layout(ctx));
  std::map<std::string, std::string> dirs;
  for (const auto& h : layout.hierarchies)
    dirs[h.mount_point] = h.mount_point + (h.own_cgroup == "/" ? "" : h.own_cgroup);
  return dirs;
}

Result<CgroupPlacement> place_cgroups(const spec::Spec& spec, const std::string& id, bool rootless,
                                      bool in_user_namespace,
                                      const std::optional<cgroups::Owner>& delegate_to,
                                      const CgroupRecorder& record) {
  if (!rootless && !in_user_namespace)
    return CgroupPlacement::create(spec, id, delegate_to, record);
  std::string path = spec.linux ? spec.linux->cgroups_path : "";
  // As root (--rootless true) every dir is writable, which delegates nothing: no cgroup, as before.
  if (rootless && ::geteuid() != 0 && !path.empty() && path.front() == '/') {
    auto placed = place_in_delegated_subtree(spec, id, record);
    if (!placed || placed->has_cgroup()) return placed;
  }
  BURROW_TRY(check_rootless_cgroup_limits(spec, /*delegated_cgroup=*/false));
  // runc skips device rules in a user namespace too (libcontainer/cgroups/fs/devices.go, Set:
  // "if userns.RunningInUserNS() ... return nil").
  if (spec.linux && spec.linux->resources && !spec.linux->resources->devices.empty())
    spdlog::debug("rootless: no cgroup, so linux.resources.devices rules are not applied");
  if (!path.empty())
    spdlog::debug("rootless: no delegated cgroup; linux.cgroupsPath {} ignored", path);
  return CgroupPlacement::none();
}

Result<CgroupPlacement> place_in_delegated_subtree(const spec::Spec& spec, const std::string& id,
                                                   const CgroupRecorder& record) {
  cgroups::CgroupsContext ctx = BURROW_TRY(cgroups::host_context());
  cgroups::Layout layout = BURROW_TRY(cgroups::detect_layout(ctx));
  auto config = cgroups::ManagerConfig::from_spec(spec, id);
  std::string inner = BURROW_TRY(cgroups::container_inner_path(config.cgroups_path, id));
  auto writable = [](const std::string& dir) { return ::access(dir.c_str(), W_OK | X_OK) == 0; };
  config.hierarchies =
      BURROW_TRY(delegated_hierarchies(layout, inner, config.resources, ::geteuid(), writable));
  if (config.hierarchies.empty()) return CgroupPlacement::none();
  config.rootless = true;
  return CgroupPlacement::create(config, std::nullopt, record);
}

}  // namespace burrow::container
