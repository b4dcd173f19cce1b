#include "state/id.hpp"

#include <gtest/gtest.h>

namespace burrow::state {
namespace {

TEST(ValidateId, AcceptsRuncCharacterSet) {
  for (const char* id : {"c1", "my_container-1.2", "a+b,c", "...", "a..b", "X"}) {
    EXPECT_TRUE(validate_id(id).ok()) << id;
  }
}

TEST(ValidateId, RefusesPathsAndOtherCharactersWithRuncText) {
  for (const char* id : {"", ".", "..", "a/b", "/a", "a b", "a:b", "ü", "a\nb"}) {
    auto st = validate_id(id);
    ASSERT_FALSE(st.ok()) << id;
    EXPECT_EQ(st.error().message, "invalid container ID format") << id;
  }
}

}  // namespace
}  // namespace burrow::state
