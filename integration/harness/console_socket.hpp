// The console-socket end of process.terminal, as containerd and conmon hold it: a listening unix
// socket the runtime connects to and sends the pty master over (SCM_RIGHTS).
#pragma once

#include <string>

#include "harness/terminal.hpp"  // read_until, for what the master shows

namespace integration {

class ConsoleSocket {
 public:
  explicit ConsoleSocket(const std::string& path);
  ConsoleSocket(const ConsoleSocket&) = delete;
  ConsoleSocket& operator=(const ConsoleSocket&) = delete;
  ~ConsoleSocket();

  bool ok() const { return ok_; }
  // Accepts the runtime's connection and takes the fd it sends; -1 on failure or after 10 s.
  int receive_master();

 private:
  int listener_ = -1;
  bool ok_ = false;
};

}  // namespace integration
