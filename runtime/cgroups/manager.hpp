// cgroups::Manager: the container's cgroups in every hierarchy of the host. Two backends: v1
// (legacy and hybrid hosts: every v1 hierarchy plus the unified one when present) and v2 (one
// unified hierarchy). make_manager picks one from the detected layout.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "cgroups/context.hpp"
#include "cgroups/delegation.hpp"
#include "cgroups/layout.hpp"
#include "cgroups/oom.hpp"
#include "cgroups/resources.hpp"
#include "cgroups/stats.hpp"
#include "spec/model.hpp"

namespace burrow::cgroups {

struct ManagerConfig {
  std::string id;                     // default cgroup name when cgroups_path is empty
  std::string cgroups_path;           // linux.cgroupsPath as written
  spec::Resources resources;          // linux.resources
  std::vector<spec::Device> devices;  // linux.devices: their paths override runc's defaults
  // Rootless: no device rules (only root may write them; runc skips them too), and the cgroup
  // goes only into the hierarchies listed in `hierarchies` (mount points; empty: all).
  bool rootless = false;
  std::vector<std::string> hierarchies;

  static ManagerConfig from_spec(const spec::Spec& spec, const std::string& id);
};

class Manager {
 public:
  virtual ~Manager() = default;

  // Before create(), what the host cannot do at all, named by field: linux.resources.unified
  // unless the host is cgroup v2 (runc: "cannot use unified on cgroup v1", hybrid hosts too).
  virtual Status check_resources(const spec::Resources& resources) const = 0;
  // Before anything is placed: the container's cgroup (or, not made yet, its nearest existing
  // ancestor) must not be frozen in any hierarchy (v1 freezer.state, cgroup2 cgroup.events),
  // since a process placed there freezes before it runs (in D state on a v1 freezer) and whoever
  // waits for it hangs. The error names the dir (runc: "container's cgroup unexpectedly frozen").
  virtual Status check_not_frozen() const = 0;
  // Creates the container's cgroup in every hierarchy (v1 cpuset values copied down; v2
  // controllers enabled down to it) and applies the device rules.
  virtual Status create() = 0;
  // Writes linux.resources, each controller into the hierarchy that has it (on hybrid hosts the
  // cgroup2 serves what no v1 hierarchy has, e.g. hugetlb). Errors name the OCI field.
  virtual Status apply_resources(const spec::Resources& resources, ApplyMode mode) = 0;
  // Moves `pid` into the container's cgroup in every hierarchy.
  virtual Status add_process(pid_t pid) = 0;
  // For exec: add_process, except where the container's cgroup refuses a process with EBUSY
  // (cgroup v2's no-internal-process rule, once a delegated container has enabled controllers
  // in its own cgroup's subtree_control): there `pid` joins the cgroup `peer` (the init) is in,
  // which must be the container's cgroup or below it. runc's exec falls back the same way.
  virtual Status add_process_near(pid_t pid, pid_t peer) = 0;
  // hierarchy mount point -> the container's cgroup dir (what state.json keeps).
  virtual std::map<std::string, std::string> paths() const = 0;
  // The container's unified (cgroup2) dir for clone3's CLONE_INTO_CGROUP; an error (ENOENT)
  // when the host has no cgroup2 hierarchy.
  virtual Result<Fd> open_unified_dir() const = 0;
  // The unified dir `peer` is in, for exec's CLONE_INTO_CGROUP after the container's own dir
  // refused with EBUSY; an error unless it is the container's cgroup or below it.
  virtual Result<Fd> open_unified_dir_of(pid_t peer) const = 0;
  // Frozen by the v1 freezer (FROZEN) or by cgroup.freeze in the unified dir.
  virtual Result<bool> is_frozen() const = 0;
  // Freezes (thaws) every process: the v1 freezer where there is one, else cgroup.freeze; waits
  // until the kernel reports the new state.
  virtual Status freeze() = 0;
  virtual Status thaw() = 0;
  // Sends `signal` to every process in the cgroup and below. SIGKILL goes through cgroup.kill
  // where it exists (nothing can escape by forking); any other signal: freeze, signal each pid,
  // thaw.
  virtual Status kill_all(int signal) = 0;
  // Every process in the container's cgroup and the cgroups below it.
  virtual Result<std::vector<pid_t>> pids() const = 0;
  virtual Result<Stats> stats() const = 0;
  virtual Result<std::unique_ptr<OomWatcher>> watch_oom() const = 0;
  // Removes the container's cgroups (and cgroups below them) in every hierarchy, deepest first,
  // retrying on EBUSY while exiting processes leave; kills nothing: fails with EBUSY naming the
  // path while a process is left. Tries every hierarchy and reports the first failure.
  virtual Status destroy() = 0;
  // Delegation (delegation.hpp): hands the container's cgroup dir in every hierarchy, and its
  // delegated_files(), to `owner`. The limit files stay root's. Call after apply_resources.
  virtual Status delegate(const Owner& owner) = 0;
  // Why SCHED_FIFO/SCHED_RR was refused with EPERM, when the reason is the container's v1 cpu
  // cgroup: its cpu.rt_runtime_us is 0 (RT_GROUP_SCHED gives a new cgroup no realtime time).
  // nullopt when the host has no such file or the cgroup has realtime time.
  virtual std::optional<std::string> realtime_refusal_reason() const = 0;
};

// A manager for a new container (nothing created yet: call create()).
Result<std::unique_ptr<Manager>> make_manager(const CgroupsContext& ctx,
                                              const ManagerConfig& config);
// A manager for an existing container from the paths saved in its state.
Result<std::unique_ptr<Manager>> load_manager(const CgroupsContext& ctx,
                                              const std::map<std::string, std::string>& paths);

}  // namespace burrow::cgroups
