// What burrow's seccomp support recognizes in linux.seccomp, by OCI name: actions, comparison
// operators, architectures and filter flags. Data only; `burrow features` reports these lists and
// the seccomp code resolves config.json names against them, so the two cannot drift apart.
#pragma once

#include <span>
#include <string_view>

namespace burrow::seccomp {

// An OCI seccomp flag and its bit for seccomp(SECCOMP_SET_MODE_FILTER, flags, ...).
struct FilterFlag {
  std::string_view name;  // "SECCOMP_FILTER_FLAG_LOG"
  unsigned int bit;       // SECCOMP_FILTER_FLAG_LOG
};

// Every SCMP_ACT_* of the runtime-spec.
std::span<const std::string_view> known_actions();
// Every SCMP_CMP_* of the runtime-spec.
std::span<const std::string_view> known_operators();
// The SCMP_ARCH_* names libseccomp 2.5.4 resolves ("SCMP_ARCH_X86_64" <-> "x86_64").
std::span<const std::string_view> known_archs();
// TSYNC, LOG, SPEC_ALLOW, WAIT_KILLABLE_RECV.
std::span<const FilterFlag> known_flags();

}  // namespace burrow::seccomp
