// Device access rules for the devices cgroup: the spec's linux.resources.devices in order, then
// runc's default allowed devices (specconv AllowedDevices) — minus a default whose path the spec
// lists in linux.devices, as runc does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "cgroups/context.hpp"
#include "spec/model.hpp"

namespace burrow::cgroups {

inline constexpr int64_t kWildcard = -1;

struct DeviceCgroupRule {
  bool allow = false;
  char type = 'a';  // 'a', 'b', 'c'
  int64_t major = kWildcard;
  int64_t minor = kWildcard;
  std::string access;  // "rwm" subset

  // The text the v1 devices controller takes: "c 1:3 rwm", "c *:* m", "a *:* rwm".
  std::string text() const;
};

// runc's defaults with the device path each stands for ("" for the wildcard/pts/tun rules).
struct DefaultDeviceRule {
  std::string path;
  DeviceCgroupRule rule;
};
const std::vector<DefaultDeviceRule>& default_device_rules();

// The letters r, w, m that `access` names, in that order ("rwa" -> "rw", "mrw" -> "rwm"): runc
// ignores the others, and the kernel takes nothing else.
std::string device_access_letters(const std::string& access);

// Checks the spec's rules (runc's wording for bad ones) and appends the defaults.
Result<std::vector<DeviceCgroupRule>> device_cgroup_rules(
    const std::vector<spec::DeviceRule>& spec_rules, const std::vector<spec::Device>& spec_devices);

// v1: "a" to devices.deny, then each rule to devices.allow or devices.deny, in order.
Status apply_devices_v1(const CgroupsContext& ctx, const std::string& dir,
                        const std::vector<DeviceCgroupRule>& rules);

}  // namespace burrow::cgroups
