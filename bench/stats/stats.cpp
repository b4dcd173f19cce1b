#include "stats/stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace burrow::bench {

namespace {

double sorted_quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  q = std::clamp(q, 0.0, 1.0);
  double rank = q * static_cast<double>(sorted.size() - 1);
  auto low = static_cast<std::size_t>(std::floor(rank));
  auto high = static_cast<std::size_t>(std::ceil(rank));
  double fraction = rank - static_cast<double>(low);
  return sorted[low] + (sorted[high] - sorted[low]) * fraction;
}

}  // namespace

double quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return sorted_quantile(values, q);
}

Summary summarize(const std::vector<double>& values) {
  Summary summary;
  if (values.empty()) return summary;
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  summary.n = sorted.size();
  summary.median = sorted_quantile(sorted, 0.5);
  summary.p95 = sorted_quantile(sorted, 0.95);
  summary.min = sorted.front();
  summary.max = sorted.back();
  summary.iqr = sorted_quantile(sorted, 0.75) - sorted_quantile(sorted, 0.25);
  double sum = std::accumulate(sorted.begin(), sorted.end(), 0.0);
  summary.mean = sum / static_cast<double>(summary.n);
  if (summary.n > 1) {
    double squares = 0;
    for (double v : sorted) squares += (v - summary.mean) * (v - summary.mean);
    summary.stddev = std::sqrt(squares / static_cast<double>(summary.n - 1));
  }
  return summary;
}

}  // namespace burrow::bench
