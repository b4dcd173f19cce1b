#include "cgroups/convert.hpp"

#include <cmath>

namespace burrow::cgroups::convert {

uint64_t cpu_shares_to_weight(uint64_t shares) {
  if (shares == 0) return 0;
  if (shares <= 2) return 1;
  if (shares >= 262144) return 10000;
  double l = std::log2(static_cast<double>(shares));
  double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
  return static_cast<uint64_t>(std::ceil(std::pow(10.0, exponent)));
}

Result<int64_t> memory_swap_to_v2(int64_t swap, int64_t memory) {
  if (memory == -1 && swap == 0) return -1;  // "unlimited memory" means unlimited swap too
  if (swap == -1 || swap == 0) return swap;
  if (memory == -1) return swap;
  if (memory == 0) return Error::msg("unable to set swap limit without memory limit");
  if (memory < 0) return Error::msg("invalid memory value: " + std::to_string(memory));
  if (swap < memory) return Error::msg("memory+swap limit should be >= memory limit");
  return swap - memory;
}

uint64_t blkio_weight_to_io_weight(uint64_t weight) {
  if (weight == 0) return 0;
  return 1 + (weight - 10) * 9999 / 990;
}

std::string v2_limit(int64_t value) {
  return value == -1 ? "max" : std::to_string(value);
}

std::string pids_max(int64_t limit) {
  if (limit > 0) return std::to_string(limit);
  return limit == 0 ? "1" : "max";
}

}  // namespace burrow::cgroups::convert
