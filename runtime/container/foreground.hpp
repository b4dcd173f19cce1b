// What a foreground `run` and `exec` share: every signal blocked while the process is set up
// (none is lost; the process unblocks them before execve), runc's choice of signals to forward,
// and the shell's exit code of a process.
#pragma once

#include <signal.h>

namespace burrow::container {

class BlockedSignals {
 public:
  BlockedSignals() {
    sigfillset(&all_);
    ::sigprocmask(SIG_BLOCK, &all_, &old_);
  }
  ~BlockedSignals() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
  BlockedSignals(const BlockedSignals&) = delete;
  BlockedSignals& operator=(const BlockedSignals&) = delete;
  const sigset_t& set() const { return all_; }

 private:
  sigset_t all_{};
  sigset_t old_{};
};

// Signals the foreground command keeps for itself rather than forwarding (runc's choice).
inline bool forwarded_signal(int sig) {
  return sig != SIGCHLD && sig != SIGWINCH && sig != SIGURG;
}

}  // namespace burrow::container
