#include "spec/known_names.hpp"

#include <gtest/gtest.h>

namespace burrow::spec {
namespace {

TEST(KnownNames, RecognizedMountOptions) {
  EXPECT_TRUE(is_recognized_mount_option("rro"));
  EXPECT_TRUE(is_recognized_mount_option("tmpcopyup"));
  EXPECT_FALSE(is_recognized_mount_option("mode=755"));
  EXPECT_FALSE(is_recognized_mount_option("acl"));
}

// tmpcopyup is recognized and refused ("not supported yet"); the rest are honoured.
TEST(KnownNames, SupportedMountOptionsFollowTheRefusalTable) {
  EXPECT_FALSE(is_supported_mount_option("tmpcopyup"));
  EXPECT_FALSE(is_supported_mount_option("mode=755"));
  size_t supported = 0;
  for (std::string_view option : recognized_mount_options())
    supported += is_supported_mount_option(option) ? 1 : 0;
  EXPECT_EQ(supported, recognized_mount_options().size() - 1);
}

TEST(KnownNames, SixHooks) {
  EXPECT_EQ(hook_names().size(), 6u);
  EXPECT_EQ(hook_names().front(), "prestart");
  EXPECT_EQ(hook_names().back(), "poststop");
}

}  // namespace
}  // namespace burrow::spec
