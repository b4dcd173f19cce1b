#include "process/spawn.hpp"

#include <linux/sched.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>

#include "base/syscalls.hpp"

namespace burrow::process {

Result<Spawned> spawn_child(const SpawnRequest& request, const std::function<void()>& child_main) {
  int pidfd = -1;
  struct clone_args args {};
  args.flags = static_cast<uint64_t>(request.namespace_flags) | CLONE_PIDFD;
  args.pidfd = reinterpret_cast<uint64_t>(&pidfd);
  args.exit_signal = SIGCHLD;
  if (request.sibling) {
    // clone3 wants no exit signal here: the child inherits ours (SIGCHLD, to our parent).
    args.flags |= CLONE_PARENT;
    args.exit_signal = 0;
  }
  if (request.cgroup_fd >= 0) {
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = static_cast<uint64_t>(request.cgroup_fd);
  }
  long pid = sys::clone3(&args);
  if (pid < 0) return Error::from_errno("clone3");
  if (pid == 0) {
    child_main();
    ::_exit(1);  // child_main must not return
  }
  Spawned spawned;
  spawned.pid = static_cast<pid_t>(pid);
  spawned.pidfd = Fd(pidfd);
  return spawned;
}

}  // namespace burrow::process
