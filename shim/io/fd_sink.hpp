// A sink that is a file descriptor: the shim's own stdout/stderr, a raw service log file.
//
// Blocking or not is the fd's: on a blocking fd write() returns when all bytes are written (a slow
// reader slows the relay, and with it the job: back-pressure, not loss — but the loop waits
// meanwhile). On a non-blocking fd what the fd does not take now is queued; the relay waits for
// the fd to be writable and stops reading the sink's sources while the queue is long, so a slow
// reader still gives back-pressure while the loop keeps serving timers and signals. open_output()
// makes such an fd for the shim's stdout and stderr.
#pragma once

#include <string>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "io/sink.hpp"

namespace burrow::shim::io {

class FdSink final : public Sink {
 public:
  // `fd` is not owned and must outlive the sink.
  FdSink(std::string name, int fd) : name_(std::move(name)), fd_(fd) {}

  const std::string& name() const override { return name_; }
  Status write(Stream stream, std::string_view data) override;
  Status end(Stream) override { return {}; }
  size_t pending() const override { return queue_.size() - sent_; }
  int wait_fd() const override { return fd_; }
  Status flush() override;

 private:
  std::string name_;
  int fd_;
  std::string queue_;  // bytes a non-blocking fd did not take yet, from queue_[sent_]
  size_t sent_ = 0;
};

// An fd for an FdSink writing to `fd` (the shim's stdout or stderr). For a pipe, FIFO or terminal,
// a new open file description of the same file (reopened through /proc/self/fd) with O_NONBLOCK:
// O_NONBLOCK on `fd` itself would be shared with the runner that handed it to us. For anything
// else (a regular file never blocks; a socket cannot be reopened) a blocking CLOEXEC duplicate.
Result<Fd> open_output(int fd);

}  // namespace burrow::shim::io
