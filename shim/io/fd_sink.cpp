#include "io/fd_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace burrow::shim::io {

Status FdSink::write(Stream, std::string_view data) {
  if (pending() > 0) {
    // Behind already: keep the order, the new bytes go after the queued ones.
    queue_.append(data);
    return flush();
  }
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) break;
      return Error::from_errno("write " + name_);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  queue_.assign(data);
  sent_ = 0;
  return {};
}

Status FdSink::flush() {
  while (sent_ < queue_.size()) {
    const ssize_t n = ::write(fd_, queue_.data() + sent_, queue_.size() - sent_);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) break;
      return Error::from_errno("write " + name_);
    }
    sent_ += static_cast<size_t>(n);
  }
  if (sent_ == queue_.size()) {
    queue_.clear();
    sent_ = 0;
  } else if (sent_ >= 1024 * 1024) {
    // Drop what was written now and then, not on every write: the queue may be megabytes.
    queue_.erase(0, sent_);
    sent_ = 0;
  }
  return {};
}

Result<Fd> open_output(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) < 0) return Error::from_errno("fstat fd " + std::to_string(fd));
  if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    Fd reopened(::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (reopened) return reopened;
    // ENXIO: a pipe whose reader is gone — the dup below gives EPIPE on the first write, which
    // the relay reports like any other sink failure.
  }
  Fd dup(::fcntl(fd, F_DUPFD_CLOEXEC, 3));
  if (!dup) return Error::from_errno("dup fd " + std::to_string(fd));
  return dup;
}

}  // namespace burrow::shim::io
