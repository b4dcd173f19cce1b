#include "cgroups/devices.hpp"

#include <algorithm>

#include "cgroups/fs_ops.hpp"

namespace burrow::cgroups {
namespace {

DeviceCgroupRule allow_char(int64_t major, int64_t minor, std::string access = "rwm") {
  return DeviceCgroupRule{true, 'c', major, minor, std::move(access)};
}

std::string number_or_wildcard(int64_t n) {
  return n == kWildcard ? "*" : std::to_string(n);
}

}  // namespace

std::string DeviceCgroupRule::text() const {
  return std::string(1, type) + " " + number_or_wildcard(major) + ":" + number_or_wildcard(minor) +
         " " + access;
}

std::string device_access_letters(const std::string& access) {
  std::string letters;
  for (char letter : {'r', 'w', 'm'})
    if (access.find(letter) != std::string::npos) letters += letter;
  return letters;
}

const std::vector<DefaultDeviceRule>& default_device_rules() {
  static const std::vector<DefaultDeviceRule> rules = {
      {"", allow_char(kWildcard, kWildcard, "m")},                   // mknod of any char device
      {"", DeviceCgroupRule{true, 'b', kWildcard, kWildcard, "m"}},  // ... and block device
      {"/dev/null", allow_char(1, 3)},
      {"/dev/random", allow_char(1, 8)},
      {"/dev/full", allow_char(1, 7)},
      {"/dev/tty", allow_char(5, 0)},
      {"/dev/zero", allow_char(1, 5)},
      {"/dev/urandom", allow_char(1, 9)},
      {"", allow_char(136, kWildcard)},  // /dev/pts/*
      {"", allow_char(5, 2)},            // /dev/ptmx
      {"", allow_char(10, 200)},         // /dev/net/tun
  };
  return rules;
}

Result<std::vector<DeviceCgroupRule>> device_cgroup_rules(
    const std::vector<spec::DeviceRule>& spec_rules,
    const std::vector<spec::Device>& spec_devices) {
  std::vector<DeviceCgroupRule> out;
  for (size_t i = 0; i < spec_rules.size(); ++i) {
    const auto& r = spec_rules[i];
    std::string type = r.type.empty() ? "a" : r.type;
    if (type != "a" && type != "b" && type != "c") {
      return Error::msg("invalid cgroup device type \"" + type + "\"");
    }
    if (r.access.empty()) {
      return Error::msg("device access at " + std::to_string(i) + " field cannot be empty");
    }
    out.push_back(DeviceCgroupRule{r.allow, type[0], r.major.value_or(kWildcard),
                                   r.minor.value_or(kWildcard), device_access_letters(r.access)});
  }
  for (const auto& d : default_device_rules()) {
    bool overridden =
        !d.path.empty() && std::any_of(spec_devices.begin(), spec_devices.end(),
                                       [&](const spec::Device& sd) { return sd.path == d.path; });
    if (!overridden) out.push_back(d.rule);
  }
  return out;
}

Status apply_devices_v1(const CgroupsContext& ctx, const std::string& dir,
                        const std::vector<DeviceCgroupRule>& rules) {
  BURROW_TRY(fs::write_control(ctx, dir, "devices.deny", "a"));
  for (const auto& rule : rules) {
    const char* file = rule.allow ? "devices.allow" : "devices.deny";
    BURROW_TRY_CTX(fs::write_control(ctx, dir, file, rule.text()),
                   std::string("devices rule \"") + rule.text() + "\"");
  }
  return {};
}

}  // namespace burrow::cgroups
