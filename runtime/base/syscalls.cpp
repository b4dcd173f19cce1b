#include "base/syscalls.hpp"

#include <cstring>

#include <sys/un.h>

#include <sys/socket.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace burrow::sys {

long clone3(struct clone_args* args) {
  return ::syscall(SYS_clone3, args, sizeof(*args));
}

long openat2(int dirfd, const char* path, const struct open_how* how) {
  return ::syscall(SYS_openat2, dirfd, path, how, sizeof(*how));
}

int pivot_root(const char* new_root, const char* put_old) {
  return static_cast<int>(::syscall(SYS_pivot_root, new_root, put_old));
}

Result<Fd> open_in_root(int root_fd, const std::string& path, int flags, mode_t mode) {
  return open_resolved(root_fd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS, mode);
}

Result<Fd> open_resolved(int dir_fd, const std::string& path, int flags, uint64_t resolve,
                         mode_t mode) {
  struct open_how how {};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
  how.resolve = resolve;
  long fd;
  do {
    fd = openat2(dir_fd, path.c_str(), &how);
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

std::string fd_path(int fd) {
  return "/proc/self/fd/" + std::to_string(fd);
}

Result<Fd> connect_unix(const std::string& path) {
  struct sockaddr_un address {};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path)
    return Error::msg("socket path too long", ENAMETOOLONG);
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  Fd socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!socket) return Error::from_errno("socket");
  int rc;
  do {
    rc = ::connect(socket.get(), reinterpret_cast<struct sockaddr*>(&address), sizeof address);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return Error::from_errno("connect");
  return socket;
}

Status send_with_fd(int socket, const std::string& payload, int fd) {
  size_t sent = 0;
  bool fd_sent = false;
  while (sent < payload.size()) {
    struct iovec iov = {const_cast<char*>(payload.data() + sent), payload.size() - sent};
    struct msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    if (!fd_sent) {
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_RIGHTS;
      cmsg->cmsg_len = CMSG_LEN(sizeof(int));
      std::memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    }
    ssize_t n = ::sendmsg(socket, &msg, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno("sendmsg");
    fd_sent = true;
    sent += static_cast<size_t>(n);
  }
  return {};
}

}  // namespace burrow::sys
