// A foreground `run` with process.terminal and no console socket relays the container's pty
// itself: the caller's stdin to the master, the master to the caller's stdout, the caller's
// terminal in raw mode meanwhile, and its window size copied on start and on SIGWINCH.
#pragma once

#include <termios.h>

#include "base/fd.hpp"

namespace burrow::container {

class TerminalRelay {
 public:
  explicit TerminalRelay(Fd master);
  ~TerminalRelay();
  TerminalRelay(const TerminalRelay&) = delete;
  TerminalRelay& operator=(const TerminalRelay&) = delete;

  int master() const { return master_.get(); }
  bool reading_stdin() const { return stdin_open_; }
  bool reading_master() const { return master_open_; }

  void copy_window_size() const;  // the caller's terminal size onto the pty (if it has one)
  void forward_stdin();           // one read of stdin into the master
  void forward_master();          // one read of the master onto stdout
  void drain_master();            // what the master still holds, once the process is gone

 private:
  Fd master_;
  bool stdin_open_ = true;
  bool master_open_ = true;
  bool raw_ = false;
  struct termios saved_ {};
};

}  // namespace burrow::container
