#include "base/syscalls.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace burrow::sys {

long clone3(struct clone_args* args) { return ::syscall(SYS_clone3, args, sizeof(*args)); }

long openat2(int dirfd, const char* path, const struct open_how* how) {
  return ::syscall(SYS_openat2, dirfd, path, how, sizeof(*how));
}

int pivot_root(const char* new_root, const char* put_old) {
  return static_cast<int>(::syscall(SYS_pivot_root, new_root, put_old));
}

Result<Fd> open_in_root(int root_fd, const std::string& path, int flags, mode_t mode) {
  struct open_how how {};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  long fd;
  do {
    fd = openat2(root_fd, path.c_str(), &how);
  } while (fd < 0 && (errno == EAGAIN || errno == EINTR));
  if (fd < 0) return Error::from_errno("open " + path);
  return Fd(static_cast<int>(fd));
}

Result<Fd> open_path(const std::string& path, int flags, mode_t mode) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0) return Error::from_errno("open " + path);
  return Fd(fd);
}

Result<Fd> pidfd_open(pid_t pid) {
  long fd = ::syscall(SYS_pidfd_open, pid, 0);
  if (fd < 0) return Error::from_errno("pidfd_open " + std::to_string(pid));
  return Fd(static_cast<int>(fd));
}

Status pidfd_send_signal(int pidfd, int sig) {
  if (::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0) < 0)
    return Error::from_errno("pidfd_send_signal " + std::to_string(sig));
  return {};
}

std::string fd_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

}  // namespace burrow::sys
