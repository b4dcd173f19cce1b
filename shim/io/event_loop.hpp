// The one event loop burrow-shim drives a job from: single-threaded (the shim forks; no threads),
// epoll, level-triggered. The relay registers its pipes here; the pod code registers the rest —
// a pidfd for the job's exit, a signalfd for SIGINT/SIGTERM, a timerfd for the job's timeout —
// and runs the loop until the job is done.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "base/error.hpp"
#include "base/fd.hpp"

namespace burrow::shim::io {

class EventLoop {
 public:
  // Gets the events epoll reported (EPOLLIN, EPOLLOUT, EPOLLHUP, EPOLLERR...).
  using Callback = std::function<void(uint32_t events)>;

  static Result<EventLoop> create();

  // Calls `callback` whenever `fd` is ready for one of `events` (EPOLLHUP and EPOLLERR are
  // always reported). The fd is not owned and must stay open until unwatch(). One watch per fd.
  // A callback may watch and unwatch anything, itself included.
  Status watch(int fd, uint32_t events, Callback callback);
  Status modify(int fd, uint32_t events);
  void unwatch(int fd);
  bool watching(int fd) const { return by_fd_.count(fd) != 0; }

  // Waits once (at most `timeout`; none: until an event) and runs the callbacks of what was
  // ready. Returns the error a callback passed to fail(), if any.
  Status run_once(std::optional<std::chrono::milliseconds> timeout = std::nullopt);
  // run_once until `done()` (checked before each wait), stop(), or a callback's fail(). An
  // empty loop that is not done is an error rather than a hang.
  Status run_until(const std::function<bool()>& done);
  // Makes run_until return after the current callbacks.
  void stop() { stopped_ = true; }
  // Makes run_until/run_once return `error` after the current callbacks (the first one wins).
  void fail(Error error);

 private:
  struct Watch {
    int fd;
    Callback callback;
  };
  explicit EventLoop(Fd epoll) : epoll_(std::move(epoll)) {}

  Fd epoll_;
  // epoll's data carries a serial, never the fd: an fd unwatched (and maybe reused) during a
  // batch then finds no watch, instead of someone else's.
  uint64_t next_serial_ = 1;
  std::map<uint64_t, std::shared_ptr<Watch>> by_serial_;
  std::map<int, uint64_t> by_fd_;
  bool stopped_ = false;
  std::optional<Error> failure_;
};

// A one-shot CLOCK_MONOTONIC timerfd firing after `delay` (the job's timeout); non-blocking.
Result<Fd> make_timer(std::chrono::nanoseconds delay);
// A signalfd for `signals`, which are blocked in this process so they arrive only through it
// (SIGINT/SIGTERM for cancellation). The caller restores the mask in children it execs.
Result<Fd> make_signalfd(std::initializer_list<int> signals);

}  // namespace burrow::shim::io
