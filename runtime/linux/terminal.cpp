#include "linux/terminal.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>

#include "base/syscalls.hpp"

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
  auto socket = sys::connect_unix(path);
  if (!socket)  // runc's wording
    return Error::from_errno("dial unix " + path + ": connect", socket.error().code);
  return std::move(socket).value();
}

Status send_console_master(int socket, int master) {
  // runc sends the master's name as the payload.
  BURROW_TRY_CTX(sys::send_with_fd(socket, "/dev/ptmx", master),
                 "send the console master over the console socket");
  return {};
}

}  // namespace burrow::linux
