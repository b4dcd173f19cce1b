// Test helper: runs a function in a forked child and returns what it reported over a pipe, so
// tests that change the process (credentials, limits, cwd, root) leave the test runner intact.
// The child never runs gtest assertions; it reports text and the parent asserts on it.
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

namespace burrow::test {

struct ChildResult {
  int wait_status = -1;
  std::string report;
  bool exited_cleanly() const { return WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0; }
};

// `body` returns the report; the child then exits 0.
inline ChildResult run_in_child(const std::function<std::string()>& body) {
  ChildResult result;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) return result;
  pid_t pid = ::fork();
  if (pid < 0) return result;
  if (pid == 0) {
    ::close(fds[0]);
    std::string report = body();
    size_t off = 0;
    while (off < report.size()) {
      ssize_t n = ::write(fds[1], report.data() + off, report.size() - off);
      if (n <= 0) ::_exit(3);
      off += static_cast<size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof(buf))) > 0) result.report.append(buf, n);
  ::close(fds[0]);
  ::waitpid(pid, &result.wait_status, 0);
  return result;
}

// The value of "Name:" in /proc/self/status, e.g. status_field("CapEff") -> "0000000000002401".
inline std::string status_field(const std::string& name) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name + ":", 0) == 0) {
      size_t start = line.find_first_not_of(" \t", name.size() + 1);
      if (start == std::string::npos) return "";
      size_t end = line.find_last_not_of(" \t");
      return line.substr(start, end + 1 - start);
    }
  }
  return "<missing " + name + ">";
}

// A capability mask line of /proc/self/status ("CapPrm") as a number.
inline uint64_t status_mask(const std::string& name) {
  return std::stoull(status_field(name), nullptr, 16);
}

}  // namespace burrow::test
