#include "linux/terminal.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>

#include "base/syscalls.hpp"

namespace burrow::linux {

namespace {

constexpr uint64_t kNoSymlinks = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;

// The slave as the master's peer: a /dev/pts/N the container made a symlink cannot stand in
// for it. It must be on a devpts (whatever /dev/ptmx led to).
Result<Fd> open_peer(int master) {
  Fd slave(::ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!slave) return Error::from_errno("open the pty's slave (TIOCGPTPEER)");
  struct statfs fs {};
  if (::fstatfs(slave.get(), &fs) < 0) return Error::from_errno("statfs the pty's slave");
  if (fs.f_type != DEVPTS_SUPER_MAGIC)
    return Error::msg("the pty's slave is not on a devpts filesystem", EXDEV);
  return slave;
}

// /dev/console as an O_PATH fd, made as an empty file when missing; no symlink is followed.
Result<Fd> open_console_target() {
  Fd root = BURROW_TRY(sys::open_path("/", O_PATH | O_DIRECTORY));
  auto dev = sys::open_resolved(root.get(), "dev", O_PATH | O_DIRECTORY, kNoSymlinks);
  if (!dev && dev.error().code == ELOOP)
    return Error::msg("/dev is a symlink in the rootfs; refusing to bind the console there", ELOOP);
  if (!dev) return std::move(dev).error();
  int made =
      ::openat(dev->get(), "console", O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (made >= 0) ::close(made);
  auto console = sys::open_resolved(dev->get(), "console", O_PATH, kNoSymlinks);
  if (!console && console.error().code == ELOOP)
    return Error::msg("/dev/console is a symlink in the rootfs; refusing to bind the console there",
                      ELOOP);
  if (!console) return Error::from_errno("create /dev/console", console.error().code);
  return console;
}

}  // namespace

Result<Pty> open_container_pty(const std::optional<spec::ConsoleSize>& size) {
  Pty pty;
  pty.master = Fd(::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!pty.master) return Error::from_errno("open /dev/ptmx");
  if (::unlockpt(pty.master.get()) < 0) return Error::from_errno("unlockpt /dev/ptmx");
  char name[64] = {};
  if (::ptsname_r(pty.master.get(), name, sizeof name) != 0)
    return Error::from_errno("ptsname /dev/ptmx");
  pty.slave_path = name;
  pty.slave = BURROW_TRY(open_peer(pty.master.get()));
  if (size) {
    struct winsize window {};
    window.ws_row = static_cast<unsigned short>(size->height);
    window.ws_col = static_cast<unsigned short>(size->width);
    if (::ioctl(pty.master.get(), TIOCSWINSZ, &window) < 0)
      return Error::from_errno("set console size");
  }
  return pty;
}

Status bind_console(int slave) {
  Fd console = BURROW_TRY(open_console_target());
  Fd tree(::open_tree(slave, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH));
  if (!tree) return Error::from_errno("clone the pty's slave for /dev/console");
  if (::move_mount(tree.get(), "", console.get(), "",
                   MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return Error::from_errno("bind the pty's slave on /dev/console");
  return {};
}

Status become_session_leader() {
  if (::setsid() < 0) return Error::from_errno("setsid");
  return {};
}

Status make_controlling_terminal(int slave, const std::string& slave_path) {
  BURROW_TRY(become_session_leader());
  if (::ioctl(slave, TIOCSCTTY, 0) < 0)
    return Error::from_errno("make " + slave_path + " the controlling terminal");
  for (int stdio = 0; stdio <= 2; ++stdio) {
    if (::dup2(slave, stdio) < 0) return Error::from_errno("dup " + slave_path + " to stdio");
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
