// Small process tools the watcher and its helper child share (internal to network/).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"

namespace burrow::network::detail {

// Moves the given fds (-1 entries are skipped and stay -1) to 3, 4, ... in order, without
// close-on-exec, and closes every other fd above 2. Updates `fds` to the new numbers. For a
// freshly forked child only.
Status keep_only_fds(std::vector<int>& fds);

// Default signal dispositions and an empty mask: what an exec'd helper should start with.
void reset_signals();

// Polls `pidfd` until the process exits, up to timeout_ms. True when it has exited.
bool wait_exited(int pidfd, int timeout_ms);

// SIGTERM, then SIGKILL after grace_ms; returns once the process has exited. Does not reap.
void terminate(int pidfd, int grace_ms);

// The last non-empty line of a small log file ("" when none), for error messages.
std::string last_log_line(const std::string& path);

}  // namespace burrow::network::detail
