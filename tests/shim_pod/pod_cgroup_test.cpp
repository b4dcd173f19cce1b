// The pod's cgroup against a fake cgroup root (plain dirs and files standing in for cgroupfs:
// the files a kernel would show are made beforehand).
#include "pod/pod_cgroup.hpp"

#include <stdlib.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace burrow::shim::pod {
namespace {

namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class PodCgroupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/burrow-pod-cgroup.XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    root_ = pattern;
  }
  void TearDown() override { fs::remove_all(root_); }
  void touch(const std::string& path) {
    fs::create_directories(fs::path(root_ + path).parent_path());
    std::ofstream(root_ + path) << "";
  }
  std::string root_;
};

TEST_F(PodCgroupTest, V1TheMemoryHierarchysDirGetsTheLimitAndSwapTheSame) {
  touch("/memory/memory.limit_in_bytes");
  touch("/memory/shim/pod-k/memory.limit_in_bytes");
  touch("/memory/shim/pod-k/memory.memsw.limit_in_bytes");
  ASSERT_TRUE(make_pod_cgroup("/shim/pod-k", 536870912, root_));
  EXPECT_EQ(slurp(root_ + "/memory/shim/pod-k/memory.limit_in_bytes"), "536870912");
  EXPECT_EQ(slurp(root_ + "/memory/shim/pod-k/memory.memsw.limit_in_bytes"), "536870912");
}

TEST_F(PodCgroupTest, V2EnablesMemoryOnTheWayDownAndSetsMaxWithoutSwap) {
  for (const char* file : {"/cgroup.controllers", "/cgroup.subtree_control",
                           "/shim/cgroup.subtree_control", "/shim/pod-k/cgroup.subtree_control",
                           "/shim/pod-k/memory.max", "/shim/pod-k/memory.swap.max"})
    touch(file);
  ASSERT_TRUE(make_pod_cgroup("/shim/pod-k", 1 << 30, root_));
  EXPECT_EQ(slurp(root_ + "/cgroup.subtree_control"), "+memory");
  EXPECT_EQ(slurp(root_ + "/shim/cgroup.subtree_control"), "+memory");
  EXPECT_EQ(slurp(root_ + "/shim/pod-k/cgroup.subtree_control"), "+memory");
  EXPECT_EQ(slurp(root_ + "/shim/pod-k/memory.max"), "1073741824");
  EXPECT_EQ(slurp(root_ + "/shim/pod-k/memory.swap.max"), "0");
}

TEST_F(PodCgroupTest, WithoutALimitOnlyTheDirsAreMade) {
  touch("/memory/memory.limit_in_bytes");
  ASSERT_TRUE(make_pod_cgroup("/shim/pod-k", std::nullopt, root_));
  EXPECT_TRUE(fs::is_directory(root_ + "/memory/shim/pod-k"));
}

TEST_F(PodCgroupTest, NoMemoryControllerIsAnErrorNamingTheRoot) {
  auto made = make_pod_cgroup("/shim/pod-k", 1 << 20, root_);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().message, "no memory cgroup under " + root_ + " (neither v1 nor v2)");
}

TEST_F(PodCgroupTest, RemoveTakesThePathFromEveryHierarchyAndAMissingOneIsNoError) {
  fs::create_directories(root_ + "/memory/shim/pod-k");
  fs::create_directories(root_ + "/pids/shim/pod-k");
  fs::create_directories(root_ + "/cpu/shim");
  ASSERT_TRUE(remove_pod_cgroup("/shim/pod-k", root_));
  EXPECT_FALSE(fs::exists(root_ + "/memory/shim/pod-k"));
  EXPECT_FALSE(fs::exists(root_ + "/pids/shim/pod-k"));
  EXPECT_TRUE(fs::exists(root_ + "/memory/shim"));  // the parent stays
  EXPECT_TRUE(remove_pod_cgroup("/shim/pod-k", root_));
}

}  // namespace
}  // namespace burrow::shim::pod
