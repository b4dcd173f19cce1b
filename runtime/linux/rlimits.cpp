#include "linux/rlimits.hpp"

#include <sys/resource.h>

#include <array>
#include <utility>

#include "spec/names.hpp"

namespace burrow::linux {
namespace {

// "unlimited" reads better than 18446744073709551615 in an error.
std::string limit_text(uint64_t value) {
  return value == RLIM_INFINITY ? "unlimited" : std::to_string(value);
}

}  // namespace

// The names live in one table, spec/names (the parser resolves rlimits with it).
std::optional<int> rlimit_from_name(std::string_view name) {
  return spec::rlimit_resource(name);
}

std::string_view rlimit_name(int resource) {
  return spec::rlimit_name(resource);
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
