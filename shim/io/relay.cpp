#include "io/relay.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace burrow::shim::io {

Relay::Relay(EventLoop& loop, Options options) : loop_(loop), options_(std::move(options)) {
  if (options_.read_size == 0) options_.read_size = 64 * 1024;
  buffer_.resize(options_.read_size);
}

Relay::~Relay() {
  for (const auto& source : sources_) {
    if (source->fd) loop_.unwatch(source->fd.get());
  }
  for (Sink* sink : waiting_) loop_.unwatch(sink->wait_fd());
}

Status Relay::add_source(std::string name, Fd fd, Stream stream, std::vector<Sink*> sinks,
                         std::string group) {
  const int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK) < 0) {
    return Error::from_errno("relay: set O_NONBLOCK on " + name);
  }
  auto source = std::make_unique<Source>(
      Source{std::move(name), std::move(fd), stream, std::move(sinks), std::move(group)});
  BURROW_TRY(watch_source(*source));
  sources_.push_back(std::move(source));
  return {};
}

Status Relay::watch_source(Source& source) {
  return loop_.watch(source.fd.get(), EPOLLIN, [this, &source](uint32_t) { on_readable(source); });
}

void Relay::on_readable(Source& source) {
  // One read per wake-up: level-triggered epoll calls again while there is more, and the other
  // sources get their turn in between (so stdout and stderr interleave chunk by chunk).
  const ssize_t n = ::read(source.fd.get(), buffer_.data(), buffer_.size());
  if (n < 0) {
    if (errno == EINTR || errno == EAGAIN) return;
    // EIO is how a terminal says its other side is gone: an end, not a failure.
    if (errno != EIO) note(Error::from_errno("relay: read " + source.name).message);
    finish(source);
    return;
  }
  if (n == 0) {
    finish(source);
    return;
  }
  const std::string_view chunk(buffer_.data(), static_cast<size_t>(n));
  for (Sink* sink : source.sinks) {
    if (dropped(sink)) continue;
    auto st = sink->write(source.stream, chunk);
    if (!st) drop(sink, st.error());
  }
  apply_backpressure(source);
}

void Relay::finish(Source& source) {
  loop_.unwatch(source.fd.get());
  source.fd.reset();
  source.paused = false;
  for (Sink* sink : source.sinks) {
    if (dropped(sink)) continue;
    auto st = sink->end(source.stream);
    if (!st) drop(sink, st.error());
  }
}

void Relay::apply_backpressure(Source& source) {
  for (Sink* sink : source.sinks) {
    if (dropped(sink) || sink->pending() == 0) continue;
    if (!waiting_.count(sink)) {
      auto st = loop_.watch(sink->wait_fd(), EPOLLOUT,
                            [this, sink](uint32_t) { on_sink_writable(sink); });
      if (!st) {
        drop(sink, st.error());
        continue;
      }
      waiting_.insert(sink);
    }
    if (sink->pending() >= options_.high_water && !source.paused && source.fd) {
      loop_.unwatch(source.fd.get());
      source.paused = true;
    }
  }
}

void Relay::on_sink_writable(Sink* sink) {
  auto st = sink->flush();
  if (!st) {
    drop(sink, st.error());
    return;
  }
  if (sink->pending() == 0) {
    loop_.unwatch(sink->wait_fd());
    waiting_.erase(sink);
  }
  resume_sources();
}

void Relay::resume_sources() {
  for (const auto& source : sources_) {
    if (!source->paused || !source->fd) continue;
    const bool below = std::all_of(source->sinks.begin(), source->sinks.end(), [&](Sink* sink) {
      return dropped(sink) || sink->pending() <= options_.high_water / 2;
    });
    if (!below) continue;
    source->paused = false;
    auto st = watch_source(*source);
    if (!st) {
      // Cannot happen short of ENOMEM; losing the source silently would hang the job.
      note("relay: resume " + source->name + ": " + st.error().message);
      finish(*source);
    }
  }
}

void Relay::drop(Sink* sink, const Error& error) {
  if (!dropped_.insert(sink).second) return;
  if (waiting_.erase(sink)) loop_.unwatch(sink->wait_fd());
  note("relay: dropped " + sink->name() + " (" + error.message +
       "); the other outputs still get everything");
  resume_sources();
}

void Relay::note(std::string text) {
  if (options_.on_note) options_.on_note(text);
  notes_.push_back(std::move(text));
}

bool Relay::sink_done(const Sink* sink) const {
  return dropped(sink) || sink->pending() == 0;
}

bool Relay::drained(std::string_view group) const {
  for (const auto& source : sources_) {
    if (source->group != group) continue;
    if (source->fd) return false;
    if (!std::all_of(source->sinks.begin(), source->sinks.end(),
                     [&](const Sink* sink) { return sink_done(sink); })) {
      return false;
    }
  }
  return true;
}

bool Relay::drained() const {
  for (const auto& source : sources_) {
    if (!drained(source->group)) return false;
  }
  return true;
}

}  // namespace burrow::shim::io
