// The cgroup work of the lifecycle commands: placement at create (through the cgroups Manager),
// and, over the dirs saved in state.json, signalling and removal for kill and delete.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "cgroups/delegation.hpp"
#include "spec/model.hpp"
#include "state/container_state.hpp"

namespace burrow::cgroups {
class Manager;
struct ManagerConfig;
}  // namespace burrow::cgroups

namespace burrow::container {

// Called with the container's cgroup dirs (and which of them exist already) before any is made:
// create records them in state.json first, so that a create killed halfway leaves dirs that
// `delete -f` and `gc` find.
using CgroupRecorder = std::function<Status(const std::map<std::string, std::string>& paths,
                                            const std::vector<std::string>& preexisting)>;

// The container's cgroups while create runs.
class CgroupPlacement {
 public:
  // Creates the container's cgroup in every hierarchy and applies what the spec asks of them;
  // with `delegate_to`, then hands the cgroups to those host ids (Manager::delegate).
  static Result<CgroupPlacement> create(const spec::Spec& spec, const std::string& id,
                                        const std::optional<cgroups::Owner>& delegate_to,
                                        const CgroupRecorder& record = {});
  // The same from a ready ManagerConfig (rootless: only some hierarchies, no device rules).
  static Result<CgroupPlacement> create(const cgroups::ManagerConfig& config,
                                        const std::optional<cgroups::Owner>& delegate_to,
                                        const CgroupRecorder& record = {});
  // An existing container's cgroups (the dirs saved in its state), to place an exec'd process.
  static Result<CgroupPlacement> load(const state::ContainerState& state);
  // exec --cgroup: the sub-cgroups of those that the arguments name (cgroups/sub_cgroups.hpp),
  // which must exist; no arguments: load(state).
  static Result<CgroupPlacement> load_for_exec(const state::ContainerState& state,
                                               const std::vector<std::string>& sub_cgroups);
  // No cgroup at all (rootless without a delegated cgroup): nothing to place, save or remove.
  static CgroupPlacement none();
  CgroupPlacement(CgroupPlacement&&) noexcept;
  CgroupPlacement& operator=(CgroupPlacement&&) noexcept;
  ~CgroupPlacement();

  bool has_cgroup() const { return manager_ != nullptr; }
  // hierarchy mount point -> the container's cgroup dir there
  std::map<std::string, std::string> paths() const;
  // The mount points whose dir existed before create (a cgroupsPath naming an existing cgroup):
  // destroy() and delete leave them (and what is in them) alone.
  const std::vector<std::string>& preexisting() const { return preexisting_; }
  // The cgroup2 dir for CLONE_INTO_CGROUP, or -1 without one.
  int unified_fd() const { return unified_fd_.get(); }
  // Places `pid` in every hierarchy it is not in yet.
  Status add_process(pid_t pid) const;
  // exec: add_process, or, where the container's cgroup refuses a process (EBUSY: a delegated
  // cgroup v2 with controllers enabled in its own subtree_control), the cgroup the init is in.
  Status add_exec_process(pid_t pid, pid_t init_pid) const;
  // The cgroup2 dir the init is in (exec's CLONE_INTO_CGROUP when the container's refused).
  Result<Fd> open_init_unified_dir(pid_t init_pid) const;
  // Manager::check_not_frozen; nothing to check without a cgroup.
  Status check_not_frozen() const;
  // `error` of the container's process setup, with the reason when it is the cgroup's: a
  // SCHED_FIFO/SCHED_RR refusal (EPERM) where cpu.rt_runtime_us is 0.
  Error explain_process_error(Error error, const spec::Process& process) const;
  // Removes the cgroups create made (not the preexisting ones).
  Status destroy();

 private:
  CgroupPlacement() = default;
  static Result<CgroupPlacement> load_paths(const std::map<std::string, std::string>& paths);
  std::unique_ptr<cgroups::Manager> manager_;
  std::vector<std::string> preexisting_;
  Fd unified_fd_;
};

// The host pids in the container's cgroup (empty when it is gone).
Result<std::vector<pid_t>> container_pids(const state::ContainerState& state);
// The Manager of an existing container's cgroups (the dirs saved in its state).
Result<std::unique_ptr<cgroups::Manager>> load_cgroups(const state::ContainerState& state);

// Sends `signal` to every process in the container's cgroup (Manager::kill_all: cgroup.kill for
// SIGKILL where the host has it, else freeze, signal each, thaw). A container with no cgroup
// dirs saved has nothing to signal.
Status signal_all_processes(const state::ContainerState& state, int signal);
// delete's sweep: SIGKILL to every process in the cgroups the container made; a preexisting
// cgroup (state.cgroup_preexisting) may hold processes that are not the container's.
Status kill_in_created_cgroups(const state::ContainerState& state);
// Removes the cgroup directories the container made (and those below them), in every hierarchy;
// the preexisting ones stay.
Status destroy_cgroups(const state::ContainerState& state);

}  // namespace burrow::container
