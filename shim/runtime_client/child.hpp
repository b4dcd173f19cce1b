// Child processes of the shim: fork + execve with chosen stdio and inherited fds, held through a
// pidfd so a wait or a signal can never hit a recycled pid. RAII: a Child still running when
// destroyed is killed (SIGKILL) and reaped, so no error path leaves a process behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"

namespace burrow::shim::runtime {

// The child's stdin, stdout and stderr: an fd of the parent's, or -1 for /dev/null.
struct Stdio {
  int in = -1;
  int out = -1;
  int err = -1;
};

// How a child ended: exit status, or the signal that killed it.
struct ExitStatus {
  int code = 0;    // the exit status when !signal
  int signal = 0;  // the terminating signal, 0 when it exited
  // A shell's view: the code, or 128 + signal.
  int shell_code() const { return signal ? 128 + signal : code; }
  std::string describe() const;
};

class Child {
 public:
  Child() = default;
  Child(pid_t pid, Fd pidfd) : pid_(pid), pidfd_(std::move(pidfd)) {}
  Child(Child&& other) noexcept;
  Child& operator=(Child&& other) noexcept;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child();

  pid_t pid() const { return pid_; }
  // Readable (POLLIN) once the child has exited: for the shim's event loop.
  int pidfd() const { return pidfd_.get(); }
  bool running() const { return pid_ > 0 && !status_; }

  // Blocks until the child exits (or `timeout` passes: then nullopt).
  Result<std::optional<ExitStatus>> wait(
      std::optional<std::chrono::milliseconds> timeout = std::nullopt);
  // Reaps the child if it has exited, without blocking; its status once reaped.
  Result<std::optional<ExitStatus>> poll();
  Status signal(int sig) const;

 private:
  pid_t pid_ = -1;
  Fd pidfd_;
  std::optional<ExitStatus> status_;
};

struct SpawnOptions {
  Stdio stdio;
  // Parent fds passed on as 3, 4, ... in this order (e.g. for --preserve-fds).
  std::vector<int> pass_fds;
  // Environment of the child; empty: the shim's own.
  std::vector<std::string> env;
  // Working directory of the child; empty: the shim's.
  std::string cwd;
  // New session (setsid): keeps the shim's terminal signals (^C) from reaching the child
  // directly, so the shim alone decides how a cancel is delivered.
  bool new_session = true;
};

// Starts argv[0] (a path) with `options`. The child starts with default signal dispositions
// and an empty signal mask.
Result<Child> spawn(const std::vector<std::string>& argv, const SpawnOptions& options);

}  // namespace burrow::shim::runtime
