// Where relayed bytes go: the shim's own stdout/stderr, the job log, a service's log file.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "io/stream.hpp"

namespace burrow::shim::io {

class Sink {
 public:
  virtual ~Sink() = default;

  // For notes ("dropped sink <name>: ...").
  virtual const std::string& name() const = 0;
  // One chunk as read from a source that feeds `stream`. An error means the sink is unusable:
  // the relay stops writing to it.
  virtual Status write(Stream stream, std::string_view data) = 0;
  // The source feeding `stream` has ended: nothing more comes for it (a line-based sink writes
  // what it held back).
  virtual Status end(Stream stream) = 0;

  // Back-pressure for sinks that queue (a non-blocking fd): bytes accepted but not yet written.
  // While it is high the relay stops reading the sources feeding this sink.
  virtual size_t pending() const { return 0; }
  // The fd to wait on (EPOLLOUT) while pending() > 0.
  virtual int wait_fd() const { return -1; }
  // Writes as much of the pending bytes as the fd takes now.
  virtual Status flush() { return {}; }
};

}  // namespace burrow::shim::io
