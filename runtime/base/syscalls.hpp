// Thin wrappers for syscalls glibc 2.36 does not wrap (clone3, openat2, pivot_root) plus
// Result-returning helpers for the ones used everywhere. Wrappers return -1/errno like libc.
#pragma once

#include <linux/openat2.h>
#include <linux/sched.h>
#include <sys/types.h>

#include <cstdint>
#include <string>

#include "base/error.hpp"
#include "base/fd.hpp"

namespace burrow::sys {

// clone3(2). Returns the child's pid in the parent, 0 in the child, -1 with errno on failure.
// The child returns on a new stack-less copy of the caller (no stack given: like fork).
long clone3(struct clone_args* args);
long openat2(int dirfd, const char* path, const struct open_how* how);
int pivot_root(const char* new_root, const char* put_old);

// openat2 with RESOLVE_IN_ROOT: `path` is resolved as if `root_fd` were "/" (symlinks and ".."
// cannot leave it). flags gets O_CLOEXEC added.
Result<Fd> open_in_root(int root_fd, const std::string& path, int flags, mode_t mode = 0);
// openat2 relative to `dir_fd` with the given RESOLVE_* flags (O_CLOEXEC added), retried on
// EAGAIN/EINTR; the error is "open <path>: <strerror>".
Result<Fd> open_resolved(int dir_fd, const std::string& path, int flags, uint64_t resolve,
                         mode_t mode = 0);
// open(2) with O_CLOEXEC added.
Result<Fd> open_path(const std::string& path, int flags, mode_t mode = 0);

// pidfd of `pid` (pidfd_open). Fails with ESRCH when the process is gone.
Result<Fd> pidfd_open(pid_t pid);
// Sends `sig` through a pidfd: never hits a recycled pid.
Status pidfd_send_signal(int pidfd, int sig);

// "/proc/self/fd/N" — how an fd is named for mount(2) and friends.
std::string fd_path(int fd);

// A SOCK_STREAM connection to the unix socket at `path` (console sockets, seccomp agents).
// Errors ("socket path too long", "socket: ...", "connect: ...") leave naming the path to the
// caller.
Result<Fd> connect_unix(const std::string& path);
// Writes all of `payload`, passing `fd` (SCM_RIGHTS) with the first sendmsg only.
Status send_with_fd(int socket, const std::string& payload, int fd);

}  // namespace burrow::sys
