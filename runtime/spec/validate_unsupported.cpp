// What config.json may ask for that burrow cannot do yet. ONE table: when a feature lands, its
// row goes away (and runtime/spec/SUPPORTED.md moves it to the supported list).
#include <optional>
#include <string>
#include <vector>

#include "spec/validate_parts.hpp"

namespace burrow::spec::validate_parts {
namespace {

using Found = std::optional<std::string>;  // JSON path of the offending field

Found when(bool present, const char* path) {
  return present ? Found(path) : std::nullopt;
}

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

bool is_empty(const MemoryResources& m) {
  return !m.limit && !m.reservation && !m.swap && !m.kernel && !m.kernel_tcp && !m.swappiness &&
         !m.disable_oom_killer && !m.use_hierarchy && !m.check_before_update;
}
bool is_empty(const CpuResources& c) {
  return !c.shares && !c.quota && !c.burst && !c.period && !c.realtime_runtime &&
         !c.realtime_period && c.cpus.empty() && c.mems.empty() && !c.idle;
}
bool is_empty(const BlockIoResources& b) {
  return !b.weight && !b.leaf_weight && b.weight_device.empty() &&
         b.throttle_read_bps_device.empty() && b.throttle_write_bps_device.empty() &&
         b.throttle_read_iops_device.empty() && b.throttle_write_iops_device.empty();
}
bool is_empty(const NetworkResources& n) {
  return !n.class_id && n.priorities.empty();
}

template <typename T>
bool given(const std::optional<T>& resource) {
  return resource && !is_empty(*resource);
}

// Every resource but `devices` (the device cgroup rules): an empty object or null is fine.
Found cgroup_resource(const Spec& spec) {
  if (!spec.linux || !spec.linux->resources) return std::nullopt;
  const Resources& r = *spec.linux->resources;
  if (given(r.memory)) return "linux.resources.memory";
  if (given(r.cpu)) return "linux.resources.cpu";
  if (r.pids_limit) return "linux.resources.pids";
  if (given(r.block_io)) return "linux.resources.blockIO";
  if (!r.hugepage_limits.empty()) return "linux.resources.hugepageLimits";
  if (given(r.network)) return "linux.resources.network";
  if (!r.rdma.empty()) return "linux.resources.rdma";
  if (!r.unified.empty()) return "linux.resources.unified";
  return std::nullopt;
}

using Finder = Found (*)(const Spec&);

constexpr Finder kNotSupportedYet[] = {
    [](const Spec& s) { return when(s.linux && s.linux->seccomp, "linux.seccomp"); },
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
