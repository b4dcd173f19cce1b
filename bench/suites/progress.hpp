// The progress line: suite, runtime, work done of the total and an ETA from the time per unit
// of work so far. A step weighs what it does (a density step of N containers weighs N). On a
// terminal it redraws one line on stderr; otherwise it prints a line at each new suite and every
// 10%.
#pragma once

#include <chrono>
#include <string>

namespace burrow::bench {

class Progress {
 public:
  Progress(int total_steps, bool terminal);
  void add_steps(int steps) { total_ += steps; }
  // One step of `suite` on `runtime`, of `weight` units of work, is about to run.
  void step(const std::string& suite, const std::string& runtime, int weight = 1);
  void finish();
  // "[lifecycle] runc 12/60 ETA 0:34" (pure, for tests).
  static std::string line(const std::string& suite, const std::string& runtime, int done, int total,
                          double eta_seconds);

 private:
  int total_;
  int done_ = 0;
  bool terminal_;
  int last_decile_ = -1;
  std::string last_suite_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace burrow::bench
