#include "seccomp/names.hpp"

#include <linux/seccomp.h>
#include <seccomp.h>

#include <algorithm>
#include <utility>

namespace burrow::seccomp {
namespace {

constexpr std::pair<std::string_view, Action> kActions[] = {
    {"SCMP_ACT_KILL", Action::kill_thread},
    {"SCMP_ACT_KILL_THREAD", Action::kill_thread},
    {"SCMP_ACT_KILL_PROCESS", Action::kill_process},
    {"SCMP_ACT_TRAP", Action::trap},
    {"SCMP_ACT_ERRNO", Action::errno_ret},
    {"SCMP_ACT_TRACE", Action::trace},
    {"SCMP_ACT_ALLOW", Action::allow},
    {"SCMP_ACT_LOG", Action::log},
    {"SCMP_ACT_NOTIFY", Action::notify},
};

constexpr std::pair<std::string_view, int> kOperators[] = {
    {"SCMP_CMP_NE", SCMP_CMP_NE},
    {"SCMP_CMP_LT", SCMP_CMP_LT},
    {"SCMP_CMP_LE", SCMP_CMP_LE},
    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
    {"SCMP_CMP_GE", SCMP_CMP_GE},
    {"SCMP_CMP_GT", SCMP_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

// Names from runtime-spec v1.2 (libseccomp 2.6.0's list); 2.5.4 lacks the last four.
#ifndef SCMP_ARCH_LOONGARCH64
#define SCMP_ARCH_LOONGARCH64 0
#endif
#ifndef SCMP_ARCH_M68K
#define SCMP_ARCH_M68K 0
#endif
#ifndef SCMP_ARCH_SH
#define SCMP_ARCH_SH 0
#endif
#ifndef SCMP_ARCH_SHEB
#define SCMP_ARCH_SHEB 0
#endif
constexpr ArchName kArchs[] = {
    {"SCMP_ARCH_X86", SCMP_ARCH_X86},
    {"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64},
    {"SCMP_ARCH_X32", SCMP_ARCH_X32},
    {"SCMP_ARCH_ARM", SCMP_ARCH_ARM},
    {"SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64},
    {"SCMP_ARCH_MIPS", SCMP_ARCH_MIPS},
    {"SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64},
    {"SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32},
    {"SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL},
    {"SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64},
    {"SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32},
    {"SCMP_ARCH_PPC", SCMP_ARCH_PPC},
    {"SCMP_ARCH_PPC64", SCMP_ARCH_PPC64},
    {"SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE},
    {"SCMP_ARCH_S390", SCMP_ARCH_S390},
    {"SCMP_ARCH_S390X", SCMP_ARCH_S390X},
    {"SCMP_ARCH_PARISC", SCMP_ARCH_PARISC},
    {"SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64},
    {"SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64},
    {"SCMP_ARCH_LOONGARCH64", SCMP_ARCH_LOONGARCH64},
    {"SCMP_ARCH_M68K", SCMP_ARCH_M68K},
    {"SCMP_ARCH_SH", SCMP_ARCH_SH},
    {"SCMP_ARCH_SHEB", SCMP_ARCH_SHEB},
};

constexpr std::pair<std::string_view, unsigned> kFlags[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
};

template <typename Table>
auto find(const Table& table, std::string_view name)
    -> std::optional<std::decay_t<decltype(std::begin(table)->second)>> {
  for (const auto& [key, value] : table) {
    if (key == name) return value;
  }
  return std::nullopt;
}

template <typename Table>
std::vector<std::string> sorted_keys(const Table& table) {
  std::vector<std::string> names;
  for (const auto& entry : table) names.emplace_back(entry.first);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

std::optional<Action> action_from_name(std::string_view name) {
  return find(kActions, name);
}

std::optional<int> operator_from_name(std::string_view name) {
  return find(kOperators, name);
}

std::optional<ArchName> arch_from_name(std::string_view name) {
  for (const ArchName& arch : kArchs) {
    if (arch.name == name) return arch;
  }
  return std::nullopt;
}

std::optional<unsigned> flag_from_name(std::string_view name) {
  return find(kFlags, name);
}

std::vector<std::string> action_names() {
  return sorted_keys(kActions);
}

std::vector<std::string> operator_names() {
  return sorted_keys(kOperators);
}

std::vector<std::string> arch_names() {
  std::vector<std::string> names;
  for (const ArchName& arch : kArchs) {
    if (arch.token != 0) names.emplace_back(arch.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> flag_names() {
  return sorted_keys(kFlags);
}

}  // namespace burrow::seccomp
