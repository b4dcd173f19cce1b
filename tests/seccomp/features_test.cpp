#include "seccomp/features.hpp"

#include <gtest/gtest.h>

namespace burrow::seccomp {
namespace {

using nlohmann::json;

// This machine's kernel (>= 5.19) has every action and flag; libseccomp 2.5.4 lacks four archs.
TEST(Features, ReportsWhatThisMachineOffers) {
  json f = features();
  EXPECT_EQ(f["enabled"], true);
  EXPECT_EQ(f["actions"].size(), 9u) << f["actions"];
  EXPECT_EQ(f["operators"], json({"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE",
                                  "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"}));
  EXPECT_EQ(f["knownFlags"].size(), 4u);
  EXPECT_EQ(f["supportedFlags"], f["knownFlags"]);
  auto archs = f["archs"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(archs.begin(), archs.end(), "SCMP_ARCH_X86_64"), archs.end());
  EXPECT_EQ(std::find(archs.begin(), archs.end(), "SCMP_ARCH_M68K"), archs.end());
}

}  // namespace
}  // namespace burrow::seccomp
