// The parent side of `burrow create` (DESIGN.md, "Process model"), shared by create and run.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "container/options.hpp"

namespace burrow::container {

struct CreatedContainer {
  pid_t init_pid = -1;
  Fd init_pidfd;
  // The init's namespaces by /proc/<pid>/ns name ("net", "mnt", ...), sent by the init itself:
  // what hooks and network helpers will enter.
  std::map<std::string, Fd> namespaces;
  // process.terminal without a console socket (a foreground run): the pty master to relay.
  Fd console_master;
};

// Creates the container: state dir, config snapshot, cgroups, the init blocked on the exec
// fifo, state.json and the pid file. On failure nothing is left behind.
Result<CreatedContainer> create_container(const GlobalOptions& global,
                                          const CreateOptions& options);

}  // namespace burrow::container
