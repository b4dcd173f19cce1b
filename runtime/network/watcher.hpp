// A container's network helper and the watcher that owns it. No burrow process outlives
// `create`, except this one: a small forked process in its own session (so a detached container
// keeps its network when create's caller dies) that starts the helper, reports when it is ready,
// then holds the init's pidfd and stops and reaps the helper when the init exits or when delete
// asks it to (SIGTERM). The init inherits none of its fds.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "network/config.hpp"

namespace burrow::network {

struct StartRequest {
  NetworkConfig config;
  std::string state_dir;  // the container's; pid file, logs and sockets go there
  int netns_fd = -1;      // the container's network namespace (sent by its init)
  int userns_fd = -1;     // its user namespace when it has its own, else -1
  int init_pidfd = -1;
};

// A process named by pid and start time (clock ticks since boot), so a recycled pid never
// matches.
struct ProcessRecord {
  pid_t pid = -1;
  uint64_t start_time = 0;
};

struct RunningNetwork {
  Mode mode = Mode::none;
  ProcessRecord watcher;
  ProcessRecord helper;
};

// The helper's absolute path: searched in PATH, then /usr/bin and /usr/sbin.
Result<std::string> find_helper(Mode mode);

// Forks the watcher, which starts the helper; returns once the container's network is up. On
// failure the error carries the helper's own message and nothing is left running.
Result<RunningNetwork> start_network(const StartRequest& request);

// Stops the watcher (which stops the helper), then kills the helper if it is still there; waits
// for both. Processes already gone, or whose pid now names another process, are skipped.
Status stop_network(const RunningNetwork& running);

// network.json in the state dir: what delete stops.
Status save_record(const std::string& state_dir, const RunningNetwork& running);
// Stops what network.json names; no file: nothing to do.
Status stop_recorded(const std::string& state_dir);

}  // namespace burrow::network
