// Rootless jobs: an unprivileged caller's burrow-shim runs the job from inside a user namespace
// of its own (as rootless podman does), where it is root over its own uid and gid (mapped to
// 0) and its 65536 subordinate ids from /etc/subuid and /etc/subgid (mapped to 1..65536) by the
// setuid newuidmap/newgidmap, with a mount namespace of its own for the containers' overlays.
// burrow then runs as root of that namespace (README: Rootless), and every container of the job
// lives in it: container root is the caller, the image's other ids are subordinate ids.
#pragma once

#include <optional>

#include "base/error.hpp"
#include "pod/id_range.hpp"

namespace burrow::shim::run {

// The caller's subordinate ranges (65536 ids), or an error naming the file and how to add one.
Result<pod::IdRange> caller_subordinate_ids();

// Forks. In the child: a new user namespace with the mapping above (written by the parent
// through newuidmap/newgidmap), uid and gid 0 in it, a private mount namespace, and a
// parent-death signal (SIGKILL), so a killed outer shim takes the job with it; returns nullopt
// there. In the parent: forwards SIGINT, SIGTERM and SIGHUP to the child, and returns its exit
// code (128+N for a signal) once it ends.
Result<std::optional<int>> run_in_user_namespace(const pod::IdRange& subordinate);

}  // namespace burrow::shim::run
