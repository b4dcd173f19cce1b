#include "linux/capabilities.hpp"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <charconv>

#include <spdlog/spdlog.h>

#include "base/file.hpp"
#include "spec/names.hpp"

namespace burrow::linux {
namespace {

uint64_t bit(int cap) {
  return uint64_t{1} << cap;
}

// Adds the names of `names` to `mask`; names the kernel lacks go to `unavailable`.
Status add_names(const std::vector<std::string>& names, int last_cap, uint64_t& mask,
                 std::vector<std::string>& unavailable) {
  for (const auto& name : names) {
    auto cap = capability_from_name(name);
    if (!cap) return Error::msg("unknown capability \"" + name + "\"", EINVAL);
    if (*cap > last_cap) {
      unavailable.push_back(name);
      continue;
    }
    mask |= bit(*cap);
  }
  return {};
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " ") + item;
  return out;
}

}  // namespace

// The names live in one table, spec/names (the parser and validator use it too).
std::optional<int> capability_from_name(std::string_view name) {
  return spec::capability_number(name);
}

std::string capability_name(int cap) {
  std::string_view name = spec::capability_name(cap);
  return name.empty() ? std::to_string(cap) : std::string(name);
}

std::vector<std::string> capability_names(uint64_t mask) {
  std::vector<std::string> names;
  for (int cap = 0; cap < 64; ++cap) {
    if (mask & bit(cap)) names.push_back(capability_name(cap));
  }
  return names;
}

Result<int> kernel_last_capability() {
  const std::string path = "/proc/sys/kernel/cap_last_cap";
  auto text = BURROW_TRY(file::read(path));
  int value = -1;
  auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
  if (parsed.ec != std::errc() || value < 0 || value > 63)
    return Error::msg("parse " + path + ": unexpected content \"" + text + "\"", EINVAL);
  return value;
}

Result<CapabilitySet> parse_capabilities(const spec::Capabilities& caps, int last_cap) {
  CapabilitySet set;
  std::vector<std::string> unavailable;
  BURROW_TRY(add_names(caps.bounding, last_cap, set.bounding, unavailable));
  BURROW_TRY(add_names(caps.effective, last_cap, set.effective, unavailable));
  BURROW_TRY(add_names(caps.permitted, last_cap, set.permitted, unavailable));
  BURROW_TRY(add_names(caps.inheritable, last_cap, set.inheritable, unavailable));
  BURROW_TRY(add_names(caps.ambient, last_cap, set.ambient, unavailable));
  if (!unavailable.empty())
    spdlog::warn("ignoring unknown or unavailable capabilities: [{}]", join(unavailable));
  return set;
}

Result<CapabilitySet> parse_capabilities(const spec::Capabilities& caps) {
  int last_cap = BURROW_TRY(kernel_last_capability());
  return parse_capabilities(caps, last_cap);
}

Result<uint64_t> current_bounding_set() {
  int last = BURROW_TRY(kernel_last_capability());
  uint64_t held = 0;
  for (int cap = 0; cap <= last && cap < 64; ++cap) {
    int in = ::prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
    if (in < 0) return Error::from_errno("read the bounding set");
    if (in == 1) held |= uint64_t{1} << cap;
  }
  return held;
}

Status check_within_bounding_set(const CapabilitySet& set, uint64_t held) {
  // The bounding list only limits (a name we lack there is simply absent); the other sets would
  // have to be raised, which capset refuses beyond the bounding set.
  uint64_t wanted = set.effective | set.permitted | set.inheritable | set.ambient;
  uint64_t missing = wanted & ~held;
  if (missing == 0) return {};
  std::string names;
  for (const auto& name : capability_names(missing)) names += (names.empty() ? "" : " ") + name;
  return Error::msg("process.capabilities: " + names +
                    " not in the runtime's bounding set: without a user namespace of its own the "
                    "container cannot gain " +
                    (std::popcount(missing) == 1 ? "it" : "them"));
}

Status drop_bounding_set(const CapabilitySet& set) {
  int last_cap = BURROW_TRY(kernel_last_capability());
  for (int cap = 0; cap <= last_cap; ++cap) {
    if (set.bounding & bit(cap)) continue;
    int present = ::prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
    if (present < 0) return Error::from_errno("read bounding capability " + capability_name(cap));
    if (present == 0) continue;  // already dropped (e.g. by whoever started burrow)
    if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
      return Error::from_errno("drop " + capability_name(cap) + " from the bounding set");
  }
  return {};
}

Status apply_capabilities(const CapabilitySet& set) {
  __user_cap_header_struct header{};
  header.version = _LINUX_CAPABILITY_VERSION_3;
  header.pid = 0;
  std::array<__user_cap_data_struct, _LINUX_CAPABILITY_U32S_3> data{};
  const uint64_t masks[] = {set.effective, set.permitted, set.inheritable};
  for (size_t word = 0; word < data.size(); ++word) {
    const int shift = static_cast<int>(32 * word);
    data[word].effective = static_cast<uint32_t>(masks[0] >> shift);
    data[word].permitted = static_cast<uint32_t>(masks[1] >> shift);
    data[word].inheritable = static_cast<uint32_t>(masks[2] >> shift);
  }
  if (::syscall(SYS_capset, &header, data.data()) < 0) return Error::from_errno("capset");

  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
    return Error::from_errno("clear the ambient capabilities");
  for (int cap = 0; cap < 64; ++cap) {
    if (!(set.ambient & bit(cap))) continue;
    // EPERM: not in permitted and inheritable. runc lets that pass (its configs often list
    // ambient caps without inheritable ones); the caller reports what was not raised.
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0 && errno != EPERM)
      return Error::from_errno("raise ambient capability " + capability_name(cap));
  }
  return {};
}

uint64_t missing_ambient_capabilities(const CapabilitySet& set) {
  uint64_t missing = 0;
  for (int cap = 0; cap < 64; ++cap) {
    if ((set.ambient & bit(cap)) && ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) != 1)
      missing |= bit(cap);
  }
  return missing;
}

}  // namespace burrow::linux
