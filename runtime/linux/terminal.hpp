// The container's terminal (process.terminal): a pty from the container's own devpts instance,
// its slave made the init's controlling terminal and stdio and bound over /dev/console, its
// master handed to the host (over the sync channel, then the console socket), as runc does.
#pragma once

#include <optional>
#include <string>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "spec/model.hpp"

namespace burrow::linux {

struct Pty {
  Fd master;
  std::string slave_path;  // /dev/pts/N inside the container
};

// After pivot_root: opens /dev/ptmx (the container's devpts), unlocks it and sets the window
// size when the spec gives one.
Result<Pty> open_container_pty(const std::optional<spec::ConsoleSize>& size);

// Bind-mounts the slave over /dev/console (made as an empty file when missing).
Status bind_console(const std::string& slave_path);

// A new session whose controlling terminal is the slave, which becomes stdin/out/err.
Status make_controlling_terminal(const std::string& slave_path);

// Connects to the unix socket at `path` (runc's --console-socket).
Result<Fd> connect_console_socket(const std::string& path);
// Sends the pty master over it with SCM_RIGHTS (payload: the master's name, as runc sends).
Status send_console_master(int socket, int master);

}  // namespace burrow::linux
