#include "container/console.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include "linux/terminal.hpp"

namespace burrow::container {
namespace {

// A kept master is relayed to our terminal: its pty takes our window size now, while the
// process is still being set up (the relay follows later changes). Set only once the relay
// starts, a process quick to ask (`stty size`) could see 0x0.
void take_caller_window_size(int master) {
  struct winsize size {};
  if (::ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0) ::ioctl(master, TIOCSWINSZ, &size);
}

}  // namespace

std::optional<spec::ConsoleSize> terminal_window_size(int fd) {
  struct winsize size {};
  if (::ioctl(fd, TIOCGWINSZ, &size) < 0 || size.ws_row == 0 || size.ws_col == 0)
    return std::nullopt;
  return spec::ConsoleSize{size.ws_row, size.ws_col};
}

void size_terminal_like_caller(spec::Process& process, const std::string& console_socket) {
  if (!process.terminal || !console_socket.empty()) return;
  if (auto size = terminal_window_size(STDIN_FILENO)) process.console_size = size;
}

Status check_console_options(bool detach, bool terminal, const std::string& console_socket) {
  if (detach && terminal && console_socket.empty())
    return Error::msg("cannot allocate tty if runc will detach without setting console socket");
  if ((!detach || !terminal) && !console_socket.empty())
    return Error::msg("cannot use console socket if runc will not detach or allocate tty");
  return {};
}

Result<ConsoleHandoff> ConsoleHandoff::connect(const std::string& console_socket) {
  ConsoleHandoff handoff;
  if (!console_socket.empty())
    handoff.socket_ = BURROW_TRY(linux::connect_console_socket(console_socket));
  return handoff;
}

Status ConsoleHandoff::take(process::Message& message) {
  if (message.fds.size() != 1) return Error::msg("console_master without its fd", EPROTO);
  if (!socket_) {
    master_ = std::move(message.fds[0]);
    take_caller_window_size(master_.get());
    return {};
  }
  BURROW_TRY(linux::send_console_master(socket_.get(), message.fds[0].get()));
  socket_ = Fd();
  return {};
}

}  // namespace burrow::container
