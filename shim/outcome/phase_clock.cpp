#include "outcome/phase_clock.hpp"

#include <time.h>

namespace burrow::shim::outcome {

namespace {
size_t index(Phase phase) {
  return static_cast<size_t>(phase);
}
}  // namespace

int64_t PhaseClock::now_ns() {
  struct timespec now {};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

void PhaseClock::start(Phase phase) {
  auto& started = started_ns_[index(phase)];
  if (!started) started = now_ns();
}

void PhaseClock::stop(Phase phase) {
  auto& started = started_ns_[index(phase)];
  if (!started) return;
  auto& total = total_ns_[index(phase)];
  total = total.value_or(0) + (now_ns() - *started);
  started.reset();
}

std::optional<double> PhaseClock::seconds(Phase phase) const {
  const auto& started = started_ns_[index(phase)];
  const auto& total = total_ns_[index(phase)];
  if (!started && !total) return std::nullopt;
  int64_t ns = total.value_or(0);
  if (started) ns += now_ns() - *started;
  return static_cast<double>(ns) / 1e9;
}

PhaseTimes PhaseClock::times() const {
  PhaseTimes times;
  for (size_t i = 0; i < kPhaseCount; ++i) times[i] = seconds(static_cast<Phase>(i));
  return times;
}

}  // namespace burrow::shim::outcome
