#include "container/cgroup_ops.hpp"

#include <fcntl.h>

#include <sstream>

#include "base/file.hpp"
#include "base/syscalls.hpp"
#include "cgroups/context.hpp"
#include "cgroups/manager.hpp"

namespace burrow::container {

Result<CgroupPlacement> CgroupPlacement::create(const spec::Spec& spec, const std::string& id) {
  cgroups::CgroupsContext ctx = BURROW_TRY(cgroups::host_context());
  CgroupPlacement placement;
  placement.manager_ =
      BURROW_TRY(cgroups::make_manager(ctx, cgroups::ManagerConfig::from_spec(spec, id)));
  auto created = placement.manager_->create();
  if (!created) {
    (void)placement.manager_->destroy();
    return std::move(created).error().wrap("cgroups");
  }
  auto unified = placement.manager_->open_unified_dir();
  if (unified) placement.unified_fd_ = std::move(unified).value();
  return placement;
}

CgroupPlacement CgroupPlacement::none() {
  return CgroupPlacement();
}

CgroupPlacement::CgroupPlacement(CgroupPlacement&&) noexcept = default;
CgroupPlacement& CgroupPlacement::operator=(CgroupPlacement&&) noexcept = default;
CgroupPlacement::~CgroupPlacement() = default;

std::map<std::string, std::string> CgroupPlacement::paths() const {
  return manager_ ? manager_->paths() : std::map<std::string, std::string>{};
}

Status CgroupPlacement::add_process(pid_t pid) const {
  if (!manager_) return {};
  auto added = manager_->add_process(pid);
  if (!added) return std::move(added).error().wrap("cgroups");
  return {};
}

Status CgroupPlacement::destroy() {
  return manager_ ? manager_->destroy() : Status{};
}

namespace {

// The container's processes as its cgroup lists them: the unified dir when there is one (it
// tracks every process on hybrid hosts too), else any v1 hierarchy.
Result<std::vector<pid_t>> cgroup_pids(const state::ContainerState& state) {
  std::string dir;
  for (const auto& [mount, path] : state.cgroup_paths) {
    if (dir.empty() || mount.ends_with("/unified") || mount == "/sys/fs/cgroup") dir = path;
  }
  std::vector<pid_t> pids;
  if (dir.empty()) return pids;
  auto text = file::read(dir + "/cgroup.procs");
  if (!text) {
    if (text.error().code == ENOENT) return pids;
    return std::move(text).error();
  }
  std::istringstream in(*text);
  for (pid_t pid; in >> pid;) pids.push_back(pid);
  return pids;
}

}  // namespace

Status signal_all_processes(const state::ContainerState& state, int signal) {
  for (pid_t pid : BURROW_TRY(cgroup_pids(state))) {
    auto pidfd = sys::pidfd_open(pid);
    if (!pidfd) continue;  // exited meanwhile
    auto sent = sys::pidfd_send_signal(pidfd->get(), signal);
    if (!sent && sent.error().code != ESRCH) return sent;
  }
  return {};
}

Status destroy_cgroups(const state::ContainerState& state) {
  if (state.cgroup_paths.empty()) return {};
  cgroups::CgroupsContext ctx = BURROW_TRY(cgroups::host_context());
  auto manager = BURROW_TRY(cgroups::load_manager(ctx, state.cgroup_paths));
  return manager->destroy();
}

}  // namespace burrow::container
