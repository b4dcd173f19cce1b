#include "pod/oom.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace burrow::shim::pod {
namespace {

TEST(OomKills, ReadsTheKernelsCount) {
  EXPECT_EQ(oom_kill_field("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n"), 3u);
  EXPECT_EQ(oom_kill_field("low 0\nhigh 0\nmax 7\noom 2\noom_kill 1\noom_group_kill 0\n"), 1u);
  EXPECT_EQ(oom_kill_field("oom_kill_disable 0\nunder_oom 0\n"), std::nullopt);
}

TEST(OomKills, V1ThenV2UnderAFakeRoot) {
  char pattern[] = "/tmp/burrow-oom.XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  std::string root = pattern;
  EXPECT_EQ(oom_kills("/pod/job", root), std::nullopt);
  std::filesystem::create_directories(root + "/pod/job");
  std::ofstream(root + "/pod/job/memory.events") << "oom 1\noom_kill 2\n";
  EXPECT_EQ(oom_kills("/pod/job", root), 2u);
  std::filesystem::create_directories(root + "/memory/pod/job");
  std::ofstream(root + "/memory/pod/job/memory.oom_control") << "under_oom 0\noom_kill 5\n";
  EXPECT_EQ(oom_kills("/pod/job", root), 5u);
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace burrow::shim::pod
