// Times the phases of a job with CLOCK_MONOTONIC (wall-clock jumps do not bend durations).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace burrow::shim::outcome {

enum class Phase { kImagePrepare, kServicesReady, kScript, kAfterScript, kTeardown };
inline constexpr size_t kPhaseCount = 5;

constexpr std::string_view phase_name(Phase phase) {
  switch (phase) {
    case Phase::kImagePrepare:
      return "image_prepare";
    case Phase::kServicesReady:
      return "services_ready";
    case Phase::kScript:
      return "script";
    case Phase::kAfterScript:
      return "after_script";
    case Phase::kTeardown:
      return "teardown";
  }
  return "unknown";
}

// Seconds per phase; a phase that never ran is empty.
using PhaseTimes = std::array<std::optional<double>, kPhaseCount>;

class PhaseClock {
 public:
  // Starting a running phase again is a no-op; a phase started again after stop() adds to its
  // total (e.g. teardown in steps).
  void start(Phase phase);
  void stop(Phase phase);
  // Elapsed seconds: the total of its runs, plus the current run if it is still running (a job
  // that fails mid-phase still reports how long that phase took).
  std::optional<double> seconds(Phase phase) const;
  PhaseTimes times() const;

  // Stops the phase when it goes out of scope, however the scope is left.
  class Scope {
   public:
    Scope(PhaseClock& clock, Phase phase) : clock_(&clock), phase_(phase) { clock.start(phase); }
    ~Scope() {
      if (clock_) clock_->stop(phase_);
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    PhaseClock* clock_;
    Phase phase_;
  };
  [[nodiscard]] Scope measure(Phase phase) { return Scope(*this, phase); }

 private:
  static int64_t now_ns();
  std::array<std::optional<int64_t>, kPhaseCount> started_ns_{};  // running since
  std::array<std::optional<int64_t>, kPhaseCount> total_ns_{};    // finished runs
};

}  // namespace burrow::shim::outcome
