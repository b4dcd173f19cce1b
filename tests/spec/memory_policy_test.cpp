#include "spec/memory_policy.hpp"

#include <gtest/gtest.h>

namespace burrow::spec {
namespace {

TEST(MemoryPolicy, NamesAreTheKernelsNumbers) {
  EXPECT_EQ(mempolicy_mode("MPOL_DEFAULT"), 0);
  EXPECT_EQ(mempolicy_mode("MPOL_PREFERRED"), 1);
  EXPECT_EQ(mempolicy_mode("MPOL_BIND"), 2);
  EXPECT_EQ(mempolicy_mode("MPOL_INTERLEAVE"), 3);
  EXPECT_EQ(mempolicy_mode("MPOL_LOCAL"), 4);
  EXPECT_EQ(mempolicy_mode("MPOL_PREFERRED_MANY"), 5);
  EXPECT_EQ(mempolicy_mode("MPOL_WEIGHTED_INTERLEAVE"), 6);
  EXPECT_EQ(mempolicy_mode("MPOL_MAX"), std::nullopt);
  EXPECT_EQ(mempolicy_flag("MPOL_F_STATIC_NODES"), 1 << 15);
  EXPECT_EQ(mempolicy_flag("MPOL_F_RELATIVE_NODES"), 1 << 14);
  EXPECT_EQ(mempolicy_flag("MPOL_F_NUMA_BALANCING"), 1 << 13);
  EXPECT_EQ(mempolicy_flag("MPOL_F_MOF"), std::nullopt);
}

TEST(MemoryPolicy, NodeLists) {
  EXPECT_EQ(*parse_node_list(""), std::vector<unsigned>{});
  EXPECT_EQ(*parse_node_list("0"), std::vector<unsigned>{0});
  EXPECT_EQ(*parse_node_list("0-1,3"), (std::vector<unsigned>{0, 1, 3}));
  EXPECT_EQ(*parse_node_list("5,1-2,2"), (std::vector<unsigned>{1, 2, 5}));
  EXPECT_EQ(*parse_node_list("1023"), std::vector<unsigned>{1023});
  for (const auto& [text, reason] : std::vector<std::pair<const char*, const char*>>{
           {",", "\"\" is not a node number"},
           {"0,", "\"\" is not a node number"},
           {"-1", "\"\" is not a node number"},
           {"a", "\"a\" is not a node number"},
           {"1-2-3", "\"2-3\" is not a node number"},
           {" 1", "\" 1\" is not a node number"},
           {"4-2", "range 4-2 goes backwards"},
           {"1024", "node 1024 is above 1023"},
           {"99999999999", "\"99999999999\" is not a node number"}}) {
    auto parsed = parse_node_list(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().message, reason) << text;
  }
}

}  // namespace
}  // namespace burrow::spec
