// Runs a shell as a child process with a script on its STDIN (a pipe, as the shim feeds the job
// container's shell), collecting stdout, stderr and the exit status.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

#include "base/fd.hpp"

namespace burrow::shim::testing {

struct ShellRun {
  int exit_code = -1;  // -1: killed by a signal (or timed out)
  std::string out;
  std::string err;
};

// argv: e.g. {"/bin/busybox", "sh"}. keep_stdin_open: the script is written but STDIN is not
// closed until the shell exits (a feeder that never closes must not hang the job).
inline ShellRun run_shell(const std::vector<std::string>& argv, const std::string& script,
                          bool keep_stdin_open = false) {
  ::signal(SIGPIPE, SIG_IGN);  // the shell may exit before reading all of the script
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) < 0 || ::pipe2(out, O_CLOEXEC) < 0 || ::pipe2(err, O_CLOEXEC) < 0)
    return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  Fd to_shell(in[1]), from_out(out[0]), from_err(err[0]);
  ::fcntl(to_shell.get(), F_SETFL, O_NONBLOCK);

  ShellRun run;
  size_t written = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (from_out || from_err) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      break;
    }
    std::vector<pollfd> fds;
    if (from_out) fds.push_back({from_out.get(), POLLIN, 0});
    if (from_err) fds.push_back({from_err.get(), POLLIN, 0});
    if (to_shell && written < script.size()) fds.push_back({to_shell.get(), POLLOUT, 0});
    if (::poll(fds.data(), fds.size(), 100) < 0 && errno != EINTR) break;
    for (const auto& p : fds) {
      if (!p.revents) continue;
      if (p.fd == to_shell.get()) {
        const ssize_t n = ::write(p.fd, script.data() + written, script.size() - written);
        if (n > 0) written += static_cast<size_t>(n);
        if (n < 0 && errno != EAGAIN) to_shell.reset();
        if (written == script.size() && !keep_stdin_open) to_shell.reset();
        continue;
      }
      char buf[65536];
      const ssize_t n = ::read(p.fd, buf, sizeof buf);
      Fd& which = p.fd == from_out.get() ? from_out : from_err;
      std::string& into = p.fd == from_out.get() ? run.out : run.err;
      if (n > 0) {
        into.append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        which.reset();
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  return run;
}

}  // namespace burrow::shim::testing
