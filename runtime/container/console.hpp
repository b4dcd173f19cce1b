// The terminal plumbing `create` and `exec` share: runc's rules for a terminal and
// --console-socket, and where the process's pty master goes (the console socket, or kept for a
// foreground relay).
#pragma once

#include <string>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "process/sync_channel.hpp"

namespace burrow::container {

// A detached process's terminal needs a console socket; a console socket needs a detached
// process with a terminal (runc's wording).
Status check_console_options(bool detach, bool terminal, const std::string& console_socket);

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
