// StepTracker: which named step the container init is in, kept in a MAP_SHARED page made before
// clone. When the init dies without sending an error (killed, crashed), the parent can still
// say where: "container init killed by signal 9 during: pivot_root". No syscall per step.
#pragma once

#include <cstddef>
#include <string>

#include "base/error.hpp"
#include "base/phase_trace.hpp"

namespace burrow::process {

class StepTracker {
 public:
  // With an enabled trace, every step is also a mark in it (base/phase_trace.hpp).
  static Result<StepTracker> make(const PhaseTrace* trace = nullptr);
  StepTracker() = default;
  ~StepTracker();
  StepTracker(StepTracker&& other) noexcept;
  StepTracker& operator=(StepTracker&& other) noexcept;
  StepTracker(const StepTracker&) = delete;
  StepTracker& operator=(const StepTracker&) = delete;

  void enter(const char* step) const;
  std::string current() const;

 private:
  static constexpr size_t kSize = 128;
  char* page_ = nullptr;
  const PhaseTrace* trace_ = nullptr;
};

}  // namespace burrow::process
