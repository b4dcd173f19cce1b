#include "container/console.hpp"

#include "linux/terminal.hpp"

namespace burrow::container {

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
    return {};
  }
  BURROW_TRY(linux::send_console_master(socket_.get(), message.fds[0].get()));
  socket_ = Fd();
  return {};
}

}  // namespace burrow::container
