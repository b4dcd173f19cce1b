// Linux capabilities of the container process: the spec's five name lists become bit masks
// (parse_capabilities), which the container init applies in runc's order: drop_bounding_set
// before switching user, apply_capabilities after it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "spec/model.hpp"

namespace burrow::linux {

// Bit n set = capability n (CAP_CHOWN = bit 0 ... CAP_CHECKPOINT_RESTORE = bit 40).
struct CapabilitySet {
  uint64_t bounding = 0;
  uint64_t effective = 0;
  uint64_t permitted = 0;
  uint64_t inheritable = 0;
  uint64_t ambient = 0;

  bool operator==(const CapabilitySet&) const = default;
};

// The highest capability number burrow knows by name (CAP_CHECKPOINT_RESTORE).
inline constexpr int kLastKnownCapability = 40;

// "CAP_CHOWN" -> 0; nullopt for a name burrow does not know.
std::optional<int> capability_from_name(std::string_view name);
// 0 -> "CAP_CHOWN"; an unknown number is spelled as its decimal value (as libcap does).
std::string capability_name(int cap);
// Names of the bits set in `mask`, lowest first.
std::vector<std::string> capability_names(uint64_t mask);

// /proc/sys/kernel/cap_last_cap: the highest capability the running kernel has.
Result<int> kernel_last_capability();

// Names -> masks. An unknown name fails with `unknown capability "CAP_FOO"`; a known name above
// `last_cap` (the kernel is older than the name) is left out with a warning, as runc does.
Result<CapabilitySet> parse_capabilities(const spec::Capabilities& caps, int last_cap);
// Same, with last_cap read from the running kernel.
Result<CapabilitySet> parse_capabilities(const spec::Capabilities& caps);

// PR_CAPBSET_DROP for every capability of the running kernel that is not in set.bounding.
// Needs CAP_SETPCAP in the effective set.
Status drop_bounding_set(const CapabilitySet& set);

// This process's bounding set (what a child without a user namespace of its own can ever hold).
Result<uint64_t> current_bounding_set();
// A container without a user namespace of its own cannot gain a capability outside `held` (the
// runtime's bounding set) in its effective, permitted, inheritable or ambient set: refused up
// front, naming them, instead of a bare capset EPERM in the init.
Status check_within_bounding_set(const CapabilitySet& set, uint64_t held);

// capset(effective, permitted, inheritable), then clears the ambient set and raises each
// ambient capability (the kernel needs it in both permitted and inheritable).
// An ambient capability that is not in both permitted and inheritable is not raised (runc lets
// that pass): see missing_ambient_capabilities.
Status apply_capabilities(const CapabilitySet& set);
// The ambient capabilities of `set` that the calling thread does not have.
uint64_t missing_ambient_capabilities(const CapabilitySet& set);

}  // namespace burrow::linux
