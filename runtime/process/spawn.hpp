// clone3 of the container init: namespaces made at clone, a pidfd for the parent, and the child
// placed straight into its cgroup v2 directory (CLONE_INTO_CGROUP) when there is one.
#pragma once

#include <sys/types.h>

#include <functional>

#include "base/error.hpp"
#include "base/fd.hpp"

namespace burrow::process {

struct SpawnRequest {
  int namespace_flags = 0;  // CLONE_NEW* made at clone
  int cgroup_fd = -1;       // a cgroup2 directory fd, or -1
  // CLONE_PARENT: the child is our parent's child (exec forks its process this way, so that
  // `burrow exec` itself waits for it).
  bool sibling = false;
};

struct Spawned {
  pid_t pid = -1;
  Fd pidfd;
};

// Clones a child that runs `child_main` (which must not return: it _exits or execs). Single-
// threaded callers only: the child gets a copy of the caller's memory, like fork.
Result<Spawned> spawn_child(const SpawnRequest& request, const std::function<void()>& child_main);

}  // namespace burrow::process
