#include "io/event_loop.hpp"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include <cerrno>
#include <vector>

namespace burrow::shim::io {

Result<EventLoop> EventLoop::create() {
  Fd epoll(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll) return Error::from_errno("epoll_create1");
  return EventLoop(std::move(epoll));
}

Status EventLoop::watch(int fd, uint32_t events, Callback callback) {
  if (watching(fd)) return Error::msg("event loop: fd " + std::to_string(fd) + " already watched");
  const uint64_t serial = next_serial_++;
  struct epoll_event ev {};
  ev.events = events;
  ev.data.u64 = serial;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) < 0) {
    return Error::from_errno("epoll_ctl add fd " + std::to_string(fd));
  }
  by_serial_[serial] = std::make_shared<Watch>(Watch{fd, std::move(callback)});
  by_fd_[fd] = serial;
  return {};
}

Status EventLoop::modify(int fd, uint32_t events) {
  const auto it = by_fd_.find(fd);
  if (it == by_fd_.end())
    return Error::msg("event loop: fd " + std::to_string(fd) + " not watched");
  struct epoll_event ev {};
  ev.events = events;
  ev.data.u64 = it->second;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) < 0) {
    return Error::from_errno("epoll_ctl mod fd " + std::to_string(fd));
  }
  return {};
}

void EventLoop::unwatch(int fd) {
  const auto it = by_fd_.find(fd);
  if (it == by_fd_.end()) return;
  // Fails only if the fd is already closed, which removed it from the epoll set anyway.
  (void)::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
  by_serial_.erase(it->second);
  by_fd_.erase(it);
}

void EventLoop::fail(Error error) {
  if (!failure_) failure_ = std::move(error);
}

Status EventLoop::run_once(std::optional<std::chrono::milliseconds> timeout) {
  struct epoll_event events[64];
  const int ms = timeout ? static_cast<int>(timeout->count()) : -1;
  const int n = ::epoll_wait(epoll_.get(), events, 64, ms);
  if (n < 0) {
    if (errno == EINTR) return {};
    return Error::from_errno("epoll_wait");
  }
  for (int i = 0; i < n; ++i) {
    const auto it = by_serial_.find(events[i].data.u64);
    if (it == by_serial_.end()) continue;  // unwatched by an earlier callback of this batch
    // A copy keeps the callback alive while it runs, even if it unwatches itself.
    const std::shared_ptr<Watch> watch = it->second;
    watch->callback(events[i].events);
  }
  if (failure_) return *std::exchange(failure_, std::nullopt);
  return {};
}

Status EventLoop::run_until(const std::function<bool()>& done) {
  stopped_ = false;
  while (!stopped_ && !done()) {
    if (by_serial_.empty()) return Error::msg("event loop: nothing to wait for, and not done");
    BURROW_TRY(run_once());
  }
  return {};
}

Result<Fd> make_timer(std::chrono::nanoseconds delay) {
  Fd fd(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  if (!fd) return Error::from_errno("timerfd_create");
  struct itimerspec spec {};
  // Zero would disarm the timer: a zero delay means "now", i.e. the shortest one.
  const auto ns = std::max<int64_t>(delay.count(), 1);
  spec.it_value.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
  spec.it_value.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  if (::timerfd_settime(fd.get(), 0, &spec, nullptr) < 0) {
    return Error::from_errno("timerfd_settime");
  }
  return fd;
}

Result<Fd> make_signalfd(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : signals) sigaddset(&set, sig);
  if (::sigprocmask(SIG_BLOCK, &set, nullptr) < 0) return Error::from_errno("sigprocmask");
  Fd fd(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!fd) return Error::from_errno("signalfd");
  return fd;
}

}  // namespace burrow::shim::io
