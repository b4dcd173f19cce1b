#include "seccomp/host_support.hpp"

#include <gtest/gtest.h>
#include <seccomp.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "seccomp/names.hpp"

namespace burrow::seccomp {
namespace {

// "SCMP_ARCH_X86_64" -> "x86_64", the name libseccomp resolves.
std::string libseccomp_arch_name(const std::string& oci_name) {
  std::string name = oci_name.substr(std::string("SCMP_ARCH_").size());
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

// `features` lists only architectures this libseccomp can add to a filter.
TEST(SeccompHostSupport, EveryListedArchIsOneLibseccompKnows) {
  for (const std::string& arch : arch_names()) {
    ASSERT_EQ(arch.rfind("SCMP_ARCH_", 0), 0u) << arch;
    EXPECT_NE(seccomp_arch_resolve_name(libseccomp_arch_name(arch).c_str()), 0u) << arch;
  }
}

// This machine's kernel (6.x) has every flag; any kernel has at least TSYNC (3.17).
TEST(SeccompHostSupport, KernelSupportedFlagsAreKnownAndIncludeTsync) {
  std::vector<std::string> supported = kernel_supported_flags();
  std::vector<std::string> known = flag_names();
  for (const auto& name : supported)
    EXPECT_NE(std::find(known.begin(), known.end(), name), known.end()) << name;
  EXPECT_NE(std::find(supported.begin(), supported.end(), "SECCOMP_FILTER_FLAG_TSYNC"),
            supported.end());
}

TEST(SeccompHostSupport, LibseccompVersionIsDotted) {
  std::string version = libseccomp_version();
  EXPECT_EQ(std::count(version.begin(), version.end(), '.'), 2) << version;
}

}  // namespace
}  // namespace burrow::seccomp
