// Summary statistics of repeated measurements: what the report shows for every series.
// Pure functions, no I/O.
#pragma once

#include <cstddef>
#include <vector>

namespace burrow::bench {

struct Summary {
  std::size_t n = 0;
  double median = 0;
  double p95 = 0;
  double min = 0;
  double max = 0;
  double mean = 0;
  double iqr = 0;     // p75 - p25: the spread the report shows
  double stddev = 0;  // sample standard deviation (0 for n < 2)
};

// The q-quantile (0 <= q <= 1) of `values` by linear interpolation between closest ranks
// (the definition numpy and R use by default). `values` need not be sorted; empty gives 0.
double quantile(std::vector<double> values, double q);

// All of Summary over `values`; n == 0 leaves every field 0.
Summary summarize(const std::vector<double>& values);

}  // namespace burrow::bench
