// The last steps of every process burrow starts in a container, shared by the container init
// and `exec`: from a process that is already in the container's namespaces, cgroups and root
// filesystem to execve of process.args. One order for both (runc's): rlimits and process
// attributes; no_new_privs -> (seccomp) -> cwd (as root) -> bounding set -> user ->
// capabilities (-> cwd as the user, when root was refused); umask; the executable resolved with
// the final credentials; the preserved fds made inheritable.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"
#include "linux/capabilities.hpp"
#include "process/step_tracker.hpp"
#include "process/sync_channel.hpp"
#include "seccomp/filter.hpp"
#include "spec/model.hpp"

namespace burrow::process {

struct ProcessSetup {
  const spec::Process* process = nullptr;
  const spec::Personality* personality = nullptr;  // linux.personality of the container, if any
  linux::CapabilitySet capabilities;
  unsigned preserve_fds = 0;  // fds 3..3+N-1 stay open across execve
  const StepTracker* steps = nullptr;
  const seccomp::Filter* seccomp = nullptr;  // compiled by the parent; null without linux.seccomp
  const spec::MemoryPolicy* memory_policy = nullptr;  // linux.memoryPolicy, if any
  // exec: a notification fd sent to the parent is waited for (seccomp_agent_done) until the
  // agent has it, before the process goes on. The init needs no wait: it blocks on the fifo.
  bool wait_for_agent = false;
};

// Where the filter is loaded, as runc does: without no_new_privs loading needs CAP_SYS_ADMIN, so
// before the user switch; with it, as late as possible (right before execve) so that the fewest
// of our own syscalls run under the container's filter. A filter with a listener is loaded
// before the init reports `ready` even then: its fd must reach the parent while it listens. The
// init loads every no_new_privs filter there (runc 1.1): its startContainer hooks, run after
// `ready`, run under the filter; before_execve is exec's point only.
enum class SeccompPoint { before_user_switch, before_ready, before_execve };
bool seccomp_at(const seccomp::Filter* filter, bool no_new_privileges, SeccompPoint point);
inline bool seccomp_at(const ProcessSetup& setup, SeccompPoint point) {
  return seccomp_at(setup.seccomp, setup.process->no_new_privileges, point);
}
// Loads the filter; a notification listener fd is sent on `channel` (seccomp_listener), then,
// with `wait_for_agent`, seccomp_agent_done is awaited.
Status install_seccomp(const seccomp::Filter& filter, const StepTracker& steps,
                       const SyncChannel& channel, bool wait_for_agent = false);

// What execve gets: the resolved path and the final environment (HOME added as runc does).
struct ExecPlan {
  std::string path;
  std::vector<std::string> env;
};

// Every step up to execve; warnings (ambient capabilities not raised) are sent on `channel`.
Result<ExecPlan> finish_process_setup(const ProcessSetup& setup, const SyncChannel& channel);

// Unblocks every signal and execs `args`. On failure the error ("exec <path>: <reason>") goes
// to `waiting` when someone waits for it (exec), else to stderr (the init: whoever created it
// may be gone by now); then _exit(127).
// `filter` (the SeccompPoint::before_execve one, or null) is loaded right before execve.
[[noreturn]] void exec_process(const std::vector<std::string>& args, const ExecPlan& plan,
                               const SyncChannel* waiting = nullptr,
                               const seccomp::Filter* filter = nullptr);

}  // namespace burrow::process
