// Signalling every process of a container that has no cgroup to ask (a rootless job's: burrow
// runs as root of the shim's user namespace and makes none): the processes sharing the mount
// namespace of its init, each through a pidfd taken before its namespace is checked, so a pid
// reused meanwhile is never hit.
#pragma once

#include <sys/types.h>

#include "base/error.hpp"

namespace burrow::shim::pod {

// Sends `signal` to `init` and every process in its mount namespace; how many were signalled.
Result<int> signal_mount_namespace(pid_t init, int signal);

// Sends `signal` to every process in `init`'s mount namespace whose session is `session` (a
// process started by `burrow exec` leads a session of its own, which its background jobs keep):
// what one exec left behind, and not the container's other processes.
Result<int> signal_session(pid_t init, pid_t session, int signal);

}  // namespace burrow::shim::pod
