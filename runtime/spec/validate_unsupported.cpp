// What config.json may ask for that burrow cannot do yet. ONE table: when a feature lands, its
// row goes away (and runtime/spec/SUPPORTED.md moves it to the supported list).
#include <optional>
#include <string>
#include <vector>

#include "spec/validate_parts.hpp"

namespace burrow::spec::validate_parts {
namespace {

using Found = std::optional<std::string>;  // JSON path of the offending field

// crun's tmpcopyup, which the kernel would otherwise get as tmpfs data and refuse with a bare
// EINVAL.
bool unsupported_mount_option(const std::string& option) {
  return option == "tmpcopyup";
}

Found unsupported_mount_feature(const Spec& spec) {
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    const Mount& mount = spec.mounts[i];
    for (size_t j = 0; j < mount.options.size(); ++j) {
      if (unsupported_mount_option(mount.options[j])) {
        return at(at("mounts", i) + ".options", j);
      }
    }
  }
  return std::nullopt;
}

bool is_empty(const NetworkResources& n) {
  return !n.class_id && n.priorities.empty();
}

// The resources burrow does not apply yet (memory, cpu, pids, blockIO, hugepageLimits, unified
// and devices are; cgroups/ refuses what a host cannot do): an empty object or null is fine.
Found cgroup_resource(const Spec& spec) {
  if (!spec.linux || !spec.linux->resources) return std::nullopt;
  const Resources& r = *spec.linux->resources;
  if (r.network && !is_empty(*r.network)) return "linux.resources.network";
  if (!r.rdma.empty()) return "linux.resources.rdma";
  return std::nullopt;
}

using Finder = Found (*)(const Spec&);

constexpr Finder kNotSupportedYet[] = {
    unsupported_mount_feature,
    cgroup_resource,
    // Known fields the parser does not model (linux.intelRdt, process.execCPUAffinity, ...).
    [](const Spec& s) { return s.unsupported.empty() ? Found() : Found(s.unsupported.front()); },
};

}  // namespace

Status check_unsupported(const Spec& spec) {
  for (Finder find : kNotSupportedYet) {
    if (Found path = find(spec)) return invalid(*path, "not supported yet");
  }
  return {};
}

}  // namespace burrow::spec::validate_parts
