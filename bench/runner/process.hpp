// Child processes of the bench: fork, enter a mount namespace (setns), exec, wait, timed.
// The clock runs from before fork to after the reap, the same path for every runtime.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"

namespace burrow::bench {

struct ExitStatus {
  int code = 0;
  int signal = 0;
  bool timed_out = false;
  bool ok() const { return code == 0 && signal == 0 && !timed_out; }
  std::string describe() const;
};

struct SpawnOptions {
  int mount_namespace = -1;  // an nsfd to setns(CLONE_NEWNS) into; -1: the bench's own
  std::string cwd = "/";
  int out = -1;  // fds of the parent for stdout/stderr; -1: /dev/null. stdin is /dev/null.
  int err = -1;
  std::vector<std::string> env;  // empty: the bench's environment
  // With uid >= 0 the child drops to uid/gid (no supplementary groups) after setns, before
  // chdir: a rootless runtime run by an unprivileged user.
  int uid = -1;
  int gid = -1;
};

// A running child; killed (SIGKILL) and reaped when destroyed while still running.
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
  // Waits up to `timeout`; on timeout kills and reaps it and says timed_out.
  ExitStatus wait(std::chrono::milliseconds timeout);

 private:
  void kill_and_reap();
  pid_t pid_ = -1;
  Fd pidfd_;
  bool reaped_ = false;
};

// The child runs in a process group of its own (a terminal's ^C reaches the bench alone), with
// an empty signal mask and default dispositions.
Result<Child> spawn(const std::vector<std::string>& argv, const SpawnOptions& options);

struct Timed {
  ExitStatus status;
  double ms = 0;  // wall time from before fork to after the reap
};

Result<Timed> run_timed(const std::vector<std::string>& argv, const SpawnOptions& options,
                        std::chrono::milliseconds timeout = std::chrono::seconds(60));

// A private mount namespace (MS_PRIVATE recursively) held by its nsfd, made by a short-lived
// child; with hide_cgroup2 the cgroup2 mounts below /sys/fs/cgroup are unmounted in it.
Result<Fd> make_mount_namespace(bool hide_cgroup2);

}  // namespace burrow::bench
