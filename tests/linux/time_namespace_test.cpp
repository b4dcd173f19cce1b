#include <gtest/gtest.h>

#include "linux/namespaces.hpp"

namespace burrow::linux {
namespace {

TEST(TimeNamespace, OffsetsTextHasOneLinePerClock) {
  std::map<std::string, spec::TimeOffset> offsets;
  offsets["monotonic"] = {-10, 5};
  offsets["boottime"] = {86400, 0};
  // The kernel parses "<clock> <secs> <nanosecs>" lines; std::map orders them by name.
  EXPECT_EQ(timens_offsets_text(offsets), "boottime 86400 0\nmonotonic -10 5\n");
  EXPECT_EQ(timens_offsets_text({}), "");
}

}  // namespace
}  // namespace burrow::linux
