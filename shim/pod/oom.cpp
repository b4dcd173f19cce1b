#include "pod/oom.hpp"

#include <fstream>
#include <sstream>

namespace burrow::shim::pod {

std::optional<unsigned long> oom_kill_field(const std::string& text) {
  std::istringstream lines(text);
  for (std::string key; lines >> key;) {
    unsigned long value = 0;
    if (!(lines >> value)) return std::nullopt;
    if (key == "oom_kill") return value;
  }
  return std::nullopt;
}

std::optional<unsigned long> oom_kills(const std::string& cgroups_path,
                                       const std::string& cgroup_root) {
  // v1 (hybrid hosts) first, then a v2 host's unified tree.
  for (const std::string& file : {cgroup_root + "/memory" + cgroups_path + "/memory.oom_control",
                                  cgroup_root + cgroups_path + "/memory.events"}) {
    std::ifstream in(file);
    if (!in) continue;
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (auto kills = oom_kill_field(text)) return kills;
  }
  return std::nullopt;
}

}  // namespace burrow::shim::pod
