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
  Fd slave;                // the master's own peer (TIOCGPTPEER), never looked up by name
  std::string slave_path;  // /dev/pts/N inside the container: a name for messages only
};

// After pivot_root: opens /dev/ptmx (the container's devpts), unlocks it, opens its peer and
// sets the window size when the spec gives one.
Result<Pty> open_container_pty(const std::optional<spec::ConsoleSize>& size);

// Bind-mounts the slave over /dev/console (made as an empty file when missing). Neither /dev
// nor /dev/console may be a symlink (CVE-2025-52565): "/dev/console is a symlink in the rootfs;
// refusing to bind the console there".
Status bind_console(int slave);

// setsid(2): every process runc starts in a container (init and exec, with a terminal or
// without) leads a session of its own, so its session and process group are visible inside the
// pid namespace (not 0, as a group outside it reads there).
Status become_session_leader();

// A new session whose controlling terminal is the slave, which becomes stdin/out/err.
Status make_controlling_terminal(int slave, const std::string& slave_path);

// Connects to the unix socket at `path` (runc's --console-socket).
Result<Fd> connect_console_socket(const std::string& path);
// Sends the pty master over it with SCM_RIGHTS (payload: the master's name, as runc sends).
Status send_console_master(int socket, int master);

}  // namespace burrow::linux
