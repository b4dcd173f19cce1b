// Real processes and pipes for the relay tests: a child writing deterministic streams, a child
// reading and checksumming a pipe.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <string>

#include "base/fd.hpp"

namespace burrow::shim::io::testing {

struct Pipe {
  Pipe() {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    read.reset(fds[0]);
    write.reset(fds[1]);
  }
  Fd read, write;
};

// Runs `body` in a forked child, which then exits 0. `keep` is the list of fds the child may
// keep; every other fd above 2 is closed first, so the child holds no stray pipe end that would
// keep another pipe from reaching EOF.
inline pid_t spawn(std::initializer_list<int> keep, const std::function<void()>& body) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  for (int fd = 3; fd < 1024; ++fd) {
    bool kept = false;
    for (int k : keep) kept = kept || k == fd;
    if (!kept) ::close(fd);
  }
  body();
  ::_exit(0);
}

inline int wait_exit(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

struct Fnv {
  uint64_t hash = 1469598103934665603ull;
  uint64_t size = 0;
  void add(std::string_view data) {
    for (unsigned char c : data) {
      hash ^= c;
      hash *= 1099511628211ull;
    }
    size += data.size();
  }
  bool operator==(const Fnv&) const = default;
};

// An endless deterministic byte stream of lines of varying length (1..2000 bytes); every 13th
// line carries bytes that are not UTF-8.
class StreamGen {
 public:
  explicit StreamGen(char tag) : tag_(tag) {}
  std::string next(size_t n) {
    std::string out;
    while (out.size() < n) {
      if (pos_ == line_.size()) make_line();
      const size_t take = std::min(n - out.size(), line_.size() - pos_);
      out.append(line_, pos_, take);
      pos_ += take;
    }
    return out;
  }

 private:
  void make_line() {
    ++k_;
    line_ = tag_ + std::to_string(k_) + " ";
    const size_t len = (k_ * 7919) % 2000;
    while (line_.size() < len) line_ += static_cast<char>('a' + (line_.size() + k_) % 26);
    if (k_ % 13 == 0) line_ += "\xff\xfe";
    line_ += '\n';
    pos_ = 0;
  }
  char tag_;
  uint64_t k_ = 0;
  std::string line_;
  size_t pos_ = 0;
};

// Chunk sizes a writer alternates between: 1 byte to 128 KiB, deterministic.
inline size_t chunk_size(uint64_t i) {
  return 1 + (i * 2654435761u) % (128 * 1024);
}

// A child that reads `fd` to EOF (slowly when `delay_us` is set) and writes "<hash> <size>" to
// `result`.
inline pid_t spawn_checksummer(int fd, int result, useconds_t delay_us = 0) {
  return spawn({fd, result}, [=] {
    Fnv fnv;
    char buf[65536];
    for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      fnv.add(std::string_view(buf, static_cast<size_t>(n)));
      if (delay_us) ::usleep(delay_us);
    }
    const std::string text = std::to_string(fnv.hash) + " " + std::to_string(fnv.size);
    write_all(result, text);
  });
}

inline Fnv parse_checksum(const std::string& text) {
  Fnv fnv;
  const auto space = text.find(' ');
  if (space == std::string::npos) return fnv;
  fnv.hash = std::stoull(text.substr(0, space));
  fnv.size = std::stoull(text.substr(space + 1));
  return fnv;
}

}  // namespace burrow::shim::io::testing
