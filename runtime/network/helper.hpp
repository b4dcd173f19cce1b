// Starting and stopping the helper (pasta or slirp4netns) from the watcher process (internal to
// network/). The watcher is a child subreaper, so pasta's daemon, whose foreground process exits
// once the namespace is configured, becomes the watcher's child like slirp4netns.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "network/config.hpp"

namespace burrow::network::detail {

struct HelperContext {
  const NetworkConfig* config = nullptr;
  std::string binary;     // absolute path
  std::string state_dir;  // pid file, logs, API socket
  int netns_fd = -1;
  int userns_fd = -1;  // -1 when the container has no user namespace of its own
  int log_fd = -1;     // the helper's stdout and stderr
};

struct Helper {
  pid_t pid = -1;
  Fd pidfd;
  Fd exit_fd;  // slirp4netns exits when this closes
};

// Starts the helper and returns once the container's interface is configured and its port
// forwards are in place; on failure nothing is left running.
Result<Helper> start_helper(const HelperContext& context);

// Stops and reaps the helper.
void stop_helper(Helper& helper);

std::string log_path(const std::string& state_dir);

}  // namespace burrow::network::detail
