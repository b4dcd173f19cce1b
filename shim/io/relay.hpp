// The relay: reads any number of sources (the job's stdout and stderr pipes, service log pipes)
// from the event loop and writes each chunk, as read, to the source's sinks. Nothing is held
// beyond one read, except what a non-blocking sink cannot take yet (see fd_sink.hpp).
//
// A sink that fails (EPIPE when the reader of the shim's stdout went away, ENOSPC...) is dropped
// — for every source — with one note; the sources keep draining into the other sinks, so the job
// neither blocks on a full pipe nor loses its log.
//
// Sources belong to a group ("job", "service redis"); drained(group) is true once every source of
// the group reached EOF and their sinks wrote what they had queued (or were dropped).
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "io/event_loop.hpp"
#include "io/sink.hpp"

namespace burrow::shim::io {

class Relay {
 public:
  struct Options {
    size_t read_size = 64 * 1024;
    // A sink's queue at which its sources stop being read; they resume below half of it.
    size_t high_water = 1024 * 1024;
    // Told about each dropped sink and failed read (the pod writes these to the job log).
    std::function<void(const std::string&)> on_note;
  };

  // `loop` and every sink given to add_source() must outlive the relay.
  Relay(EventLoop& loop, Options options);
  explicit Relay(EventLoop& loop) : Relay(loop, Options{}) {}
  ~Relay();
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  // Reads `fd` (made non-blocking) until EOF; each chunk goes to `sinks` as `stream`, and at EOF
  // each sink gets end(stream).
  Status add_source(std::string name, Fd fd, Stream stream, std::vector<Sink*> sinks,
                    std::string group = "job");

  bool drained(std::string_view group) const;
  bool drained() const;  // every group
  bool dropped(const Sink* sink) const { return dropped_.count(sink) != 0; }
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  struct Source {
    std::string name;
    Fd fd;
    Stream stream;
    std::vector<Sink*> sinks;
    std::string group;
    bool paused = false;  // not watched while a sink's queue is above high water
  };

  Status watch_source(Source& source);
  void on_readable(Source& source);
  void finish(Source& source);
  void apply_backpressure(Source& source);
  void on_sink_writable(Sink* sink);
  void resume_sources();
  void drop(Sink* sink, const Error& error);
  void note(std::string text);
  bool sink_done(const Sink* sink) const;

  EventLoop& loop_;
  Options options_;
  std::vector<std::unique_ptr<Source>> sources_;  // stable addresses: callbacks hold them
  std::set<const Sink*> dropped_;
  std::set<Sink*> waiting_;  // sinks whose wait_fd() is watched for EPOLLOUT
  std::string buffer_;
  std::vector<std::string> notes_;
};

}  // namespace burrow::shim::io
