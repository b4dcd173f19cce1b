#include "container/rootless.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "cgroups/context.hpp"
#include "cgroups/layout.hpp"

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

std::string first_cgroup_limit(const spec::Resources& r) {
  // A section written as an empty object asks for nothing (runc's example configs carry some).
  auto memory = [](const spec::MemoryResources& m) {
    return m.limit || m.reservation || m.swap || m.kernel || m.kernel_tcp || m.swappiness ||
           m.disable_oom_killer || m.use_hierarchy || m.check_before_update;
  };
  auto cpu = [](const spec::CpuResources& c) {
    return c.shares || c.quota || c.burst || c.period || c.realtime_runtime || c.realtime_period ||
           !c.cpus.empty() || !c.mems.empty() || c.idle;
  };
  auto block_io = [](const spec::BlockIoResources& b) {
    return b.weight || b.leaf_weight || !b.weight_device.empty() ||
           !b.throttle_read_bps_device.empty() || !b.throttle_write_bps_device.empty() ||
           !b.throttle_read_iops_device.empty() || !b.throttle_write_iops_device.empty();
  };
  if (r.memory && memory(*r.memory)) return "linux.resources.memory";
  if (r.cpu && cpu(*r.cpu)) return "linux.resources.cpu";
  if (r.pids_limit) return "linux.resources.pids";
  if (r.block_io && block_io(*r.block_io)) return "linux.resources.blockIO";
  if (!r.hugepage_limits.empty()) return "linux.resources.hugepageLimits";
  if (r.network && (r.network->class_id || !r.network->priorities.empty()))
    return "linux.resources.network";
  if (!r.rdma.empty()) return "linux.resources.rdma";
  if (!r.unified.empty()) return "linux.resources.unified";
  return "";
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

Result<CgroupPlacement> place_cgroups(const spec::Spec& spec, const std::string& id,
                                      bool no_cgroups,
                                      const std::optional<cgroups::Owner>& delegate_to) {
  if (!no_cgroups) return CgroupPlacement::create(spec, id, delegate_to);
  BURROW_TRY(check_rootless_cgroup_limits(spec, /*delegated_cgroup=*/false));
  // runc skips device rules in a user namespace too (libcontainer/cgroups/fs/devices.go, Set:
  // "if userns.RunningInUserNS() ... return nil").
  if (spec.linux && spec.linux->resources && !spec.linux->resources->devices.empty())
    spdlog::debug("rootless: no cgroup, so linux.resources.devices rules are not applied");
  if (spec.linux && !spec.linux->cgroups_path.empty())
    spdlog::debug("rootless: no delegated cgroup; linux.cgroupsPath {} ignored",
                  spec.linux->cgroups_path);
  return CgroupPlacement::none();
}

}  // namespace burrow::container
