// The terminal plumbing `create` and `exec` share: runc's rules for a terminal and
// --console-socket, and where the process's pty master goes (the console socket, or kept for a
// foreground relay).
#pragma once

#include <optional>
#include <string>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "process/sync_channel.hpp"
#include "spec/model.hpp"

namespace burrow::container {

// A detached process's terminal needs a console socket; a console socket needs a detached
// process with a terminal (runc's wording).
Status check_console_options(bool detach, bool terminal, const std::string& console_socket);

// The window size of the terminal on `fd` (the caller's stdin), if it is one with a size set.
std::optional<spec::ConsoleSize> terminal_window_size(int fd);

// A foreground process with a terminal relayed to ours (no console socket): its pty is opened
// with our window size, so the size is there before the process runs. Setting it only when the
// master reaches us raced with the process: `exec -t` does not wait for that message, and a
// quick `stty size` read 0x0 (busybox then prints a stale errno: "No child processes").
void size_terminal_like_caller(spec::Process& process, const std::string& console_socket);

class ConsoleHandoff {
 public:
  // Connects to `console_socket` now (before any process exists), when one is given.
  static Result<ConsoleHandoff> connect(const std::string& console_socket);
  // A console_master message: its fd goes over the socket, or is kept.
  Status take(process::Message& message);
  // The kept master (a foreground process's terminal to relay), if any.
  Fd release_master() { return std::move(master_); }

 private:
  Fd socket_;
  Fd master_;
};

}  // namespace burrow::container
