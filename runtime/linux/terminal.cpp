#include "linux/terminal.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>

namespace burrow::linux {

Result<Pty> open_container_pty(const std::optional<spec::ConsoleSize>& size) {
  Pty pty;
  pty.master = Fd(::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!pty.master) return Error::from_errno("open /dev/ptmx");
  if (::unlockpt(pty.master.get()) < 0) return Error::from_errno("unlockpt /dev/ptmx");
  char name[64] = {};
  if (::ptsname_r(pty.master.get(), name, sizeof name) != 0)
    return Error::from_errno("ptsname /dev/ptmx");
  pty.slave_path = name;
  if (size) {
    struct winsize window {};
    window.ws_row = static_cast<unsigned short>(size->height);
    window.ws_col = static_cast<unsigned short>(size->width);
    if (::ioctl(pty.master.get(), TIOCSWINSZ, &window) < 0)
      return Error::from_errno("set console size");
  }
  return pty;
}

Status bind_console(const std::string& slave_path) {
  Fd console(::open("/dev/console", O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666));
  if (!console) return Error::from_errno("create /dev/console");
  if (::mount(slave_path.c_str(), "/dev/console", nullptr, MS_BIND, nullptr) < 0)
    return Error::from_errno("bind " + slave_path + " on /dev/console");
  return {};
}

Status make_controlling_terminal(const std::string& slave_path) {
  if (::setsid() < 0) return Error::from_errno("setsid");
  Fd slave(::open(slave_path.c_str(), O_RDWR | O_CLOEXEC));
  if (!slave) return Error::from_errno("open " + slave_path);
  if (::ioctl(slave.get(), TIOCSCTTY, 0) < 0)
    return Error::from_errno("make " + slave_path + " the controlling terminal");
  for (int stdio = 0; stdio <= 2; ++stdio) {
    if (::dup2(slave.get(), stdio) < 0) return Error::from_errno("dup " + slave_path + " to stdio");
  }
  return {};
}

Result<Fd> connect_console_socket(const std::string& path) {
  struct sockaddr_un address {};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path)
    return Error(ENAMETOOLONG, "console socket " + path + ": path too long");
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  Fd socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!socket) return Error::from_errno("console socket: socket");
  if (::connect(socket.get(), reinterpret_cast<struct sockaddr*>(&address), sizeof address) < 0)
    return Error::from_errno("dial unix " + path + ": connect");
  return socket;
}

Status send_console_master(int socket, int master) {
  static const char kName[] = "/dev/ptmx";
  struct iovec data = {const_cast<char*>(kName), sizeof kName - 1};
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  struct msghdr message {};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  struct cmsghdr* header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(header), &master, sizeof(int));
  ssize_t sent;
  do {
    sent = ::sendmsg(socket, &message, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return Error::from_errno("send the console master over the console socket");
  return {};
}

}  // namespace burrow::linux
