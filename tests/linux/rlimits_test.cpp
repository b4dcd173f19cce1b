#include "linux/rlimits.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace burrow::linux {
namespace {

TEST(Rlimits, NamesBothWays) {
  const std::vector<std::pair<std::string, int>> all = {
      {"RLIMIT_CPU", RLIMIT_CPU},           {"RLIMIT_FSIZE", RLIMIT_FSIZE},
      {"RLIMIT_DATA", RLIMIT_DATA},         {"RLIMIT_STACK", RLIMIT_STACK},
      {"RLIMIT_CORE", RLIMIT_CORE},         {"RLIMIT_RSS", RLIMIT_RSS},
      {"RLIMIT_NPROC", RLIMIT_NPROC},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
      {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},   {"RLIMIT_AS", RLIMIT_AS},
      {"RLIMIT_LOCKS", RLIMIT_LOCKS},       {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
      {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
      {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},     {"RLIMIT_RTTIME", RLIMIT_RTTIME},
  };
  ASSERT_EQ(all.size(), static_cast<size_t>(RLIM_NLIMITS));
  for (const auto& [name, resource] : all) {
    EXPECT_EQ(rlimit_from_name(name), resource) << name;
    EXPECT_EQ(rlimit_name(resource), name) << resource;
  }
  EXPECT_EQ(RLIMIT_NOFILE, 7);
  EXPECT_EQ(rlimit_from_name("RLIMIT_NOFILE"), 7);
}

TEST(Rlimits, UnknownNames) {
  EXPECT_EQ(rlimit_from_name("RLIMIT_FOO"), std::nullopt);
  EXPECT_EQ(rlimit_from_name("NOFILE"), std::nullopt);
  EXPECT_EQ(rlimit_from_name("rlimit_nofile"), std::nullopt);
  EXPECT_EQ(rlimit_name(RLIM_NLIMITS), "");
  EXPECT_EQ(rlimit_name(-1), "");
}

TEST(Rlimits, ApplyRefusesAnUnknownType) {
  spec::Rlimit limit;
  limit.type = "RLIMIT_FOO";
  auto status = apply_rlimits({limit});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "unknown rlimit \"RLIMIT_FOO\"");
  EXPECT_EQ(status.error().code, EINVAL);
}

TEST(Rlimits, ApplyNothingIsOk) {
  EXPECT_TRUE(apply_rlimits({}));
}

}  // namespace
}  // namespace burrow::linux
