// The parent side of `burrow create` (DESIGN.md, "Process model"), shared by create and run.
#pragma once

#include <sys/types.h>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "container/options.hpp"

namespace burrow::container {

struct CreatedContainer {
  pid_t init_pid = -1;
  Fd init_pidfd;
};

// Creates the container: state dir, config snapshot, cgroups, the init blocked on the exec
// fifo, state.json and the pid file. On failure nothing is left behind.
Result<CreatedContainer> create_container(const GlobalOptions& global,
                                          const CreateOptions& options);

}  // namespace burrow::container
