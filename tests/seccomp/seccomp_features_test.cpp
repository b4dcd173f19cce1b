#include "seccomp/seccomp_features.hpp"

#include <gtest/gtest.h>
#include <seccomp.h>

#include <algorithm>
#include <cctype>

#include <set>
#include <string>

#include "seccomp/host_support.hpp"

namespace burrow::seccomp {
namespace {

// "SCMP_ARCH_X86_64" -> "x86_64", the name libseccomp resolves.
std::string libseccomp_arch_name(std::string_view oci_name) {
  std::string name(oci_name.substr(std::string_view("SCMP_ARCH_").size()));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

TEST(SeccompFeatures, EveryArchIsOneLibseccompKnows) {
  for (std::string_view arch : known_archs()) {
    ASSERT_TRUE(arch.starts_with("SCMP_ARCH_")) << arch;
    EXPECT_NE(seccomp_arch_resolve_name(libseccomp_arch_name(arch).c_str()), 0u) << arch;
  }
  EXPECT_EQ(known_archs().size(), 19u);  // libseccomp 2.5.4's list
}

TEST(SeccompFeatures, ActionsAndOperatorsAreTheRuntimeSpecs) {
  std::set<std::string_view> actions(known_actions().begin(), known_actions().end());
  EXPECT_EQ(actions, (std::set<std::string_view>{
                         "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
                         "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW",
                         "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY"}));
  std::set<std::string_view> operators(known_operators().begin(), known_operators().end());
  EXPECT_EQ(operators,
            (std::set<std::string_view>{"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
                                        "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"}));
}

TEST(SeccompFeatures, FlagsHaveDistinctBits) {
  std::set<unsigned int> bits;
  for (const FilterFlag& flag : known_flags()) {
    EXPECT_TRUE(flag.name.starts_with("SECCOMP_FILTER_FLAG_")) << flag.name;
    EXPECT_TRUE(bits.insert(flag.bit).second) << flag.name;
  }
  EXPECT_EQ(bits.size(), 4u);
}

// This machine's kernel (6.x) has every flag; any kernel has at least TSYNC (3.17).
TEST(SeccompHostSupport, KernelSupportedFlagsAreKnownAndIncludeTsync) {
  std::vector<std::string> supported = kernel_supported_flags();
  std::set<std::string> known;
  for (const FilterFlag& flag : known_flags()) known.emplace(flag.name);
  for (const auto& name : supported) EXPECT_TRUE(known.count(name)) << name;
  EXPECT_NE(std::find(supported.begin(), supported.end(), "SECCOMP_FILTER_FLAG_TSYNC"),
            supported.end());
}

TEST(SeccompHostSupport, LibseccompVersionIsTheLinkedOne) {
  const scmp_version* v = seccomp_version();
  EXPECT_EQ(libseccomp_version(), std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                                      std::to_string(v->micro));
  EXPECT_EQ(libseccomp_version().find('.'), 1u);
}

}  // namespace
}  // namespace burrow::seccomp
