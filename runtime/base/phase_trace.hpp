// Where a command's time goes: with BURROW_TRACE set (to a file to append to, or "-" for stderr),
// every mark() records a named phase with its monotonic time in a MAP_SHARED table made before any
// fork, so the container init and exec helpers (clone3 without CLONE_VM) record into the same
// table; the process that made the trace prints it when it ends:
//   burrow trace: create c1 (pid 4242)
//       0.000    0.412  4242  parse and validate config
//       0.412    1.937  4242  compile seccomp filter
//       ...
// (start ms, duration ms until the next mark, pid, phase). Off (the variable unset), a trace owns
// no memory and mark() is one branch: no cost on the hot path.
//
// The marks are also the fault-injection points of the `faults` test tier: BURROW_FAULT_AT=PHASE
// makes the process that reaches the mark named PHASE (the runtime, or the init at one of its
// steps) SIGKILL itself there, as a crash or an OOM kill at that point would.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace burrow {

class PhaseTrace {
 public:
  // Enabled when BURROW_TRACE is set and non-empty; `what` names the command in the output.
  static PhaseTrace from_env(const std::string& what);
  PhaseTrace() = default;
  ~PhaseTrace();
  PhaseTrace(PhaseTrace&& other) noexcept;
  PhaseTrace& operator=(PhaseTrace&& other) noexcept;
  PhaseTrace(const PhaseTrace&) = delete;
  PhaseTrace& operator=(const PhaseTrace&) = delete;

  bool enabled() const { return table_ != nullptr; }
  // Records `phase` now (and dies there if it is the fault point). Async-signal-safe (an atomic
  // slot index, a copy, clock_gettime): the init calls it between fork and exec. Marks beyond
  // the table's capacity are dropped.
  void mark(const char* phase) const {
    if (active_) record(phase);
  }
  // The table as text (also what the destructor writes); "" when disabled.
  std::string format() const;

  struct Table;

 private:
  void record(const char* phase) const;
  void release();
  Table* table_ = nullptr;
  bool active_ = false;  // tracing, or a fault point set
  std::string fault_;    // BURROW_FAULT_AT
  pid_t owner_ = 0;
  std::string what_;
  std::string sink_;
};

}  // namespace burrow
