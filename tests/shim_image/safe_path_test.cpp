#include "image/safe_path.hpp"

#include <gtest/gtest.h>

namespace burrow::shim::image {
namespace {

TEST(SafePath, CleanEntryPath) {
  auto clean = [](const char* raw) {
    auto r = clean_entry_path(raw);
    return r ? *r : "ERROR " + r.error().message;
  };
  EXPECT_EQ(clean("./a//b/"), "a/b");
  EXPECT_EQ(clean("."), "");
  EXPECT_EQ(clean("./"), "");
  EXPECT_EQ(clean("a/./b"), "a/b");
  EXPECT_EQ(clean("..a/b.."), "..a/b..");
  EXPECT_EQ(clean("a/../b"), "ERROR entry 'a/../b': path has a '..' component");
  EXPECT_EQ(clean("/etc/passwd"), "ERROR entry '/etc/passwd': absolute path");
  EXPECT_EQ(clean(".."), "ERROR entry '..': path has a '..' component");
}

TEST(SafePath, SymlinkStaysBeneath) {
  EXPECT_TRUE(symlink_stays_beneath("bin/sh", "busybox"));
  EXPECT_TRUE(symlink_stays_beneath("a/b/c", "../../x"));
  EXPECT_TRUE(symlink_stays_beneath("layer1/layer.tar", "../layer0/layer.tar"));
  EXPECT_FALSE(symlink_stays_beneath("a/b/c", "../../../x"));
  EXPECT_FALSE(symlink_stays_beneath("link", "/etc"));
  EXPECT_FALSE(symlink_stays_beneath("link", ""));
  EXPECT_FALSE(symlink_stays_beneath("a/l", "x/../../../y"));
}

}  // namespace
}  // namespace burrow::shim::image
