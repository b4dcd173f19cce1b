// The child side of `burrow exec`: a process cloned by `burrow exec` into the container's cgroup
// v2 dir that joins the container init's namespaces and forks the process to run (a pid
// namespace only applies to children). That process is cloned with CLONE_PARENT, so `burrow
// exec` is its parent and waits for it; the intermediate sends its pid and pidfd and exits.
// The final steps (identity, capabilities, cwd, exec path) are the init's (process_setup.hpp).
// Failures travel to `burrow exec` as `error` messages; a successful execve closes the channel.
#pragma once

#include <string>

#include "linux/capabilities.hpp"
#include "process/step_tracker.hpp"
#include "process/sync_channel.hpp"
#include "seccomp/filter.hpp"
#include "spec/model.hpp"

namespace burrow::process {

// Prepared by `burrow exec` before clone3; the child reads it from its copy of the memory.
struct ExecChildConfig {
  const spec::Spec* spec = nullptr;  // the container's config, process = the one to exec
  std::string id;                    // names the session keyring
  int init_pidfd = -1;               // the container init: setns(pidfd, namespace_flags)
  int namespace_flags = 0;           // the init's namespaces that differ from ours
  bool no_new_keyring = false;
  unsigned preserve_fds = 0;
  linux::CapabilitySet capabilities;
  const StepTracker* steps = nullptr;
  const seccomp::Filter* seccomp_filter = nullptr;  // the container's linux.seccomp, compiled
};

// Never returns: execs process.args, or sends an error and exits.
[[noreturn]] void run_exec_child(const ExecChildConfig& config, const SyncChannel& channel);

}  // namespace burrow::process
