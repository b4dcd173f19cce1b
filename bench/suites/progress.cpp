#include "suites/progress.hpp"

#include <cstdio>

namespace burrow::bench {

Progress::Progress(int total_steps, bool terminal) : total_(total_steps), terminal_(terminal) {}

std::string Progress::line(const std::string& suite, const std::string& runtime, int done,
                           int total, double eta_seconds) {
  char eta[32];
  if (eta_seconds < 0) {
    std::snprintf(eta, sizeof eta, "ETA ?");
  } else {
    long seconds = static_cast<long>(eta_seconds + 0.5);
    std::snprintf(eta, sizeof eta, "ETA %ld:%02ld", seconds / 60, seconds % 60);
  }
  return "[" + suite + "] " + runtime + " " + std::to_string(done) + "/" + std::to_string(total) +
         " " + eta;
}

void Progress::step(const std::string& suite, const std::string& runtime, int weight) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double eta = done_ > 0 ? elapsed / done_ * (total_ - done_) : -1;
  std::string text = line(suite, runtime, done_ + weight, total_, eta);
  int decile = total_ > 0 ? done_ * 10 / total_ : 0;
  if (terminal_) {
    std::fprintf(stderr, "\r\033[K%s", text.c_str());
  } else if (suite != last_suite_ || decile != last_decile_) {
    std::fprintf(stderr, "%s\n", text.c_str());
  }
  std::fflush(stderr);
  last_suite_ = suite;
  last_decile_ = decile;
  done_ += weight;
}

void Progress::finish() {
  if (terminal_) std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace burrow::bench
