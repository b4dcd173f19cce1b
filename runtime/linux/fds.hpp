// File descriptors crossing into the container: only stdio, the preserved ones and burrow's own
// (close-on-exec) may survive; nothing of the host leaks (CVE-2016-9962, CVE-2024-21626).
#pragma once

#include <sys/types.h>

#include <vector>

#include "base/error.hpp"

namespace burrow::linux {

// systemd socket activation of burrow itself (sd_listen_fds(3)): N when $LISTEN_PID is our pid
// and $LISTEN_FDS is N > 0, else 0. As runc does for create and run, those fds (3..3+N-1) are
// passed to the container ahead of the --preserve-fds ones, and the container's environment
// gets LISTEN_FDS=N and LISTEN_PID=1.
unsigned socket_activation_fds();

// Closes every fd >= 3 except those in `keep` and the preserved range [3, 3 + preserved).
Status close_inherited_fds(unsigned preserved, std::vector<int> keep);

// Makes the preserved fds [3, 3 + preserved) inheritable across execve.
Status clear_cloexec_on_preserved(unsigned preserved);

// fchown the process's stdio (pipes or a pty) to its user, as runc does, so a non-root or
// user-namespaced process can reopen /dev/stdout. Fds that are not pipes, sockets or ttys are
// left alone (a file or /dev/null of the caller's is not ours to change). Only the owner
// changes, as in runc: a pty keeps its devpts group (gid=5, tty).
Status chown_stdio(uid_t uid);

}  // namespace burrow::linux
