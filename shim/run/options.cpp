#include "run/options.hpp"

#include <cctype>
#include <cstdint>

namespace burrow::shim::run {

Result<Volume> parse_volume(const std::string& text) {
  auto refuse = [&](const std::string& why) {
    return Error::msg("--volume " + text + ": " + why + " (HOST:CONTAINER[:ro|:rw])");
  };
  Volume volume;
  size_t first = text.find(':');
  if (first == std::string::npos) return refuse("no container path");
  volume.host = text.substr(0, first);
  std::string rest = text.substr(first + 1);
  size_t second = rest.find(':');
  volume.container = rest.substr(0, second);
  if (second != std::string::npos) {
    std::string mode = rest.substr(second + 1);
    if (mode == "ro")
      volume.read_only = true;
    else if (mode != "rw")
      return refuse("mode '" + mode + "' is neither ro nor rw");
  }
  if (volume.host.empty() || volume.host[0] != '/') return refuse("the host path must be absolute");
  if (volume.container.empty() || volume.container[0] != '/')
    return refuse("the container path must be absolute");
  return volume;
}

Result<int64_t> parse_size(const std::string& text) {
  auto refuse = [&] {
    return Error::msg("size '" + text + "': expected bytes or a number with k, m or g");
  };
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return refuse();
  size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    return refuse();
  }
  std::string unit = text.substr(used);
  int shift = 0;
  if (unit == "k" || unit == "K" || unit == "kb" || unit == "KB")
    shift = 10;
  else if (unit == "m" || unit == "M" || unit == "mb" || unit == "MB")
    shift = 20;
  else if (unit == "g" || unit == "G" || unit == "gb" || unit == "GB")
    shift = 30;
  else if (!unit.empty() && unit != "b" && unit != "B")
    return refuse();
  if (value == 0 || value > (static_cast<unsigned long long>(INT64_MAX) >> shift)) return refuse();
  return static_cast<int64_t>(value << shift);
}

}  // namespace burrow::shim::run
