#include "run/options.hpp"

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

}  // namespace burrow::shim::run
