#include "linux/rlimits.hpp"

#include <sys/resource.h>

#include <array>
#include <utility>

namespace burrow::linux {
namespace {

constexpr std::array<std::pair<std::string_view, int>, RLIM_NLIMITS> kRlimits = {{
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_STACK", RLIMIT_STACK},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
}};

// "unlimited" reads better than 18446744073709551615 in an error.
std::string limit_text(uint64_t value) {
  return value == RLIM_INFINITY ? "unlimited" : std::to_string(value);
}

}  // namespace

std::optional<int> rlimit_from_name(std::string_view name) {
  for (const auto& [known, resource] : kRlimits) {
    if (known == name) return resource;
  }
  return std::nullopt;
}

std::string_view rlimit_name(int resource) {
  for (const auto& [name, known] : kRlimits) {
    if (known == resource) return name;
  }
  return {};
}

Status apply_rlimits(const std::vector<spec::Rlimit>& rlimits) {
  for (const auto& entry : rlimits) {
    int resource = entry.resource;
    if (resource < 0) {
      auto found = rlimit_from_name(entry.type);
      if (!found) return Error::msg("unknown rlimit \"" + entry.type + "\"", EINVAL);
      resource = *found;
    }
    struct rlimit limit {};
    limit.rlim_cur = entry.soft;
    limit.rlim_max = entry.hard;
    if (::setrlimit(resource, &limit) < 0) {
      std::string name(rlimit_name(resource));
      if (name.empty()) name = std::to_string(resource);
      return Error::from_errno("setrlimit " + name + " (soft " + limit_text(entry.soft) +
                               ", hard " + limit_text(entry.hard) + ")");
    }
  }
  return {};
}

}  // namespace burrow::linux
