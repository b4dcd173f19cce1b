#include "container/cgroup_ops.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>

#include "base/file.hpp"
#include "base/syscalls.hpp"
#include "cgroups/context.hpp"
#include "cgroups/manager.hpp"
#include "cgroups/sub_cgroups.hpp"

namespace burrow::container {
namespace {

std::map<std::string, std::string> without(std::map<std::string, std::string> paths,
                                           const std::vector<std::string>& mount_points) {
  for (const auto& mount_point : mount_points) paths.erase(mount_point);
  return paths;
}

// The dirs still there: a delete killed halfway removed some, and a killed create may not have
// made them all; signalling goes through what is left.
std::map<std::string, std::string> existing(std::map<std::string, std::string> paths) {
  std::erase_if(paths, [](const auto& entry) { return ::access(entry.second.c_str(), F_OK) != 0; });
  return paths;
}

Status destroy_paths(const std::map<std::string, std::string>& paths) {
  if (paths.empty()) return {};
  cgroups::CgroupsContext ctx = BURROW_TRY(cgroups::host_context());
  auto manager = BURROW_TRY(cgroups::load_manager(ctx, paths));
  return manager->destroy();
}

}  // namespace

Result<CgroupPlacement> CgroupPlacement::create(const spec::Spec& spec, const std::string& id,
                                                const std::optional<cgroups::Owner>& delegate_to,
                                                const CgroupRecorder& record) {
  return create(cgroups::ManagerConfig::from_spec(spec, id), delegate_to, record);
}

Result<CgroupPlacement> CgroupPlacement::create(const cgroups::ManagerConfig& config,
                                                const std::optional<cgroups::Owner>& delegate_to,
                                                const CgroupRecorder& record) {
  cgroups::CgroupsContext ctx = BURROW_TRY(cgroups::host_context());
  CgroupPlacement placement;
  placement.manager_ = BURROW_TRY(cgroups::make_manager(ctx, config));
  // Before anything is made: a request the host cannot serve, a cgroup nothing could run in.
  BURROW_TRY_CTX(placement.manager_->check_resources(config.resources), "config.json");
  BURROW_TRY_CTX(placement.manager_->check_not_frozen(), "cgroups");
  // Only a cgroup made for this container is handed to it: an existing one may hold host
  // processes, and its owner would change for good (and the container could move them).
  if (delegate_to) {
    for (const auto& [mount_point, dir] : placement.manager_->paths()) {
      if (::access(dir.c_str(), F_OK) == 0)
        return Error::msg(
            "annotation run.burrow.cgroup.delegate=true: linux.cgroupsPath names "
            "the existing cgroup " +
                dir + ": only a cgroup made for the container is delegated",
            EEXIST);
    }
  }
  for (const auto& [mount_point, dir] : placement.manager_->paths())
    if (::access(dir.c_str(), F_OK) == 0) placement.preexisting_.push_back(mount_point);
  if (record) BURROW_TRY(record(placement.manager_->paths(), placement.preexisting_));
  auto created = placement.manager_->create();
  // The limits are in place before the init is cloned into the cgroup, so no container code
  // ever runs without them.
  if (created)
    created = placement.manager_->apply_resources(config.resources, cgroups::ApplyMode::create);
  if (created && delegate_to) created = placement.manager_->delegate(*delegate_to);
  if (!created) {
    (void)placement.destroy();
    return std::move(created).error().wrap("cgroups");
  }
  auto unified = placement.manager_->open_unified_dir();
  if (unified) placement.unified_fd_ = std::move(unified).value();
  return placement;
}

Result<CgroupPlacement> CgroupPlacement::load_paths(
    const std::map<std::string, std::string>& paths) {
  cgroups::CgroupsContext ctx = BURROW_TRY(cgroups::host_context());
  CgroupPlacement placement;
  placement.manager_ = BURROW_TRY(cgroups::load_manager(ctx, paths));
  auto unified = placement.manager_->open_unified_dir();
  if (unified) placement.unified_fd_ = std::move(unified).value();
  return placement;
}

Result<CgroupPlacement> CgroupPlacement::load(const state::ContainerState& state) {
  return load_paths(state.cgroup_paths);
}

Result<CgroupPlacement> CgroupPlacement::load_for_exec(
    const state::ContainerState& state, const std::vector<std::string>& sub_cgroups) {
  if (sub_cgroups.empty()) return load(state);
  cgroups::SubCgroups request = BURROW_TRY(cgroups::parse_sub_cgroups(sub_cgroups));
  cgroups::CgroupsContext ctx = BURROW_TRY(cgroups::host_context());
  cgroups::Layout layout = BURROW_TRY(cgroups::detect_layout(ctx));
  auto is_dir = [](const std::string& dir) {
    struct stat st {};
    return ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  };
  return load_paths(
      BURROW_TRY(cgroups::resolve_sub_cgroups(request, layout, state.cgroup_paths, is_dir)));
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

Status CgroupPlacement::add_exec_process(pid_t pid, pid_t init_pid) const {
  if (!manager_) return {};
  auto added = manager_->add_process_near(pid, init_pid);
  if (!added) return std::move(added).error().wrap("cgroups");
  return {};
}

Result<Fd> CgroupPlacement::open_init_unified_dir(pid_t init_pid) const {
  if (!manager_) return Error::msg("cgroups: the container has no cgroup", ENOENT);
  auto dir = manager_->open_unified_dir_of(init_pid);
  if (!dir) return std::move(dir).error().wrap("cgroups");
  return std::move(dir).value();
}

Status CgroupPlacement::check_not_frozen() const {
  if (!manager_) return {};
  return manager_->check_not_frozen();
}

Error CgroupPlacement::explain_process_error(Error error, const spec::Process& process) const {
  const bool realtime = process.scheduler && (process.scheduler->policy == "SCHED_FIFO" ||
                                              process.scheduler->policy == "SCHED_RR");
  if (!manager_ || !realtime || error.code != EPERM ||
      error.message.find("sched_setattr ") == std::string::npos)
    return error;
  if (auto reason = manager_->realtime_refusal_reason()) error.message += ": " + *reason;
  return error;
}

Status CgroupPlacement::destroy() {
  if (!manager_) return {};
  if (preexisting_.empty()) return manager_->destroy();
  return destroy_paths(without(manager_->paths(), preexisting_));
}

Result<std::unique_ptr<cgroups::Manager>> load_cgroups(const state::ContainerState& state) {
  cgroups::CgroupsContext ctx = BURROW_TRY(cgroups::host_context());
  return cgroups::load_manager(ctx, state.cgroup_paths);
}

// The Manager lists sub-cgroups' processes too (a delegated container's own cgroups).
Result<std::vector<pid_t>> container_pids(const state::ContainerState& state) {
  if (state.cgroup_paths.empty()) return std::vector<pid_t>{};
  auto manager = BURROW_TRY(load_cgroups(state));
  return manager->pids();
}

Status signal_all_processes(const state::ContainerState& state, int signal) {
  if (state.cgroup_paths.empty()) return {};
  auto manager = BURROW_TRY(load_cgroups(state));
  return manager->kill_all(signal);
}

Status kill_in_created_cgroups(const state::ContainerState& state) {
  auto created = existing(without(state.cgroup_paths, state.cgroup_preexisting));
  if (created.empty()) return {};
  cgroups::CgroupsContext ctx = BURROW_TRY(cgroups::host_context());
  auto manager = BURROW_TRY(cgroups::load_manager(ctx, created));
  return manager->kill_all(SIGKILL);
}

Status destroy_cgroups(const state::ContainerState& state) {
  return destroy_paths(without(state.cgroup_paths, state.cgroup_preexisting));
}

}  // namespace burrow::container
