#include "linux/fds.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>

namespace burrow::linux {

unsigned socket_activation_fds() {
  const char* pid = std::getenv("LISTEN_PID");
  const char* fds = std::getenv("LISTEN_FDS");
  if (!pid || !fds) return 0;
  char* end = nullptr;
  long listen_pid = std::strtol(pid, &end, 10);
  if (*pid == '\0' || *end != '\0' || listen_pid != ::getpid()) return 0;
  long count = std::strtol(fds, &end, 10);
  if (*fds == '\0' || *end != '\0' || count <= 0 || count > 65536) return 0;
  return static_cast<unsigned>(count);
}

Status close_inherited_fds(unsigned preserved, std::vector<int> keep) {
  unsigned first = 3 + preserved;
  std::sort(keep.begin(), keep.end());
  for (int fd : keep) {
    if (fd < 0 || static_cast<unsigned>(fd) < first) continue;
    if (static_cast<unsigned>(fd) > first && ::close_range(first, fd - 1, 0) < 0)
      return Error::from_errno("close inherited fds");
    first = static_cast<unsigned>(fd) + 1;
  }
  if (::close_range(first, UINT_MAX, 0) < 0) return Error::from_errno("close inherited fds");
  return {};
}

Status clear_cloexec_on_preserved(unsigned preserved) {
  for (unsigned fd = 3; fd < 3 + preserved; ++fd) {
    int flags = ::fcntl(static_cast<int>(fd), F_GETFD);
    if (flags < 0) return Error::from_errno("preserved fd " + std::to_string(fd));
    if (::fcntl(static_cast<int>(fd), F_SETFD, flags & ~FD_CLOEXEC) < 0)
      return Error::from_errno("preserved fd " + std::to_string(fd));
  }
  return {};
}

Status chown_stdio(uid_t uid) {
  for (int fd = 0; fd <= 2; ++fd) {
    struct stat st {};
    if (::fstat(fd, &st) < 0) continue;  // closed stdio is the caller's choice
    bool ours = S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || ::isatty(fd);
    if (!ours || st.st_uid == uid) continue;
    // EINVAL: the uid/gid is not mapped in this user namespace; EPERM: not ours to change.
    if (::fchown(fd, uid, static_cast<gid_t>(-1)) < 0 && errno != EINVAL && errno != EPERM)
      return Error::from_errno("fchown stdio fd " + std::to_string(fd));
  }
  return {};
}

}  // namespace burrow::linux
