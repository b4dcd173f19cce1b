#include "job/variables.hpp"

#include <gtest/gtest.h>

namespace burrow::shim::job {
namespace {

PendingVariables both_passes(const PendingVariables& variables) {
  Result<PendingVariables> sorted = expand_by_dependency(variables);
  EXPECT_TRUE(sorted.ok()) << sorted.error().message;
  return sorted.ok() ? expand_all_once(*sorted) : PendingVariables{};
}

std::string value_of(const PendingVariables& variables, const std::string& key) {
  std::string value = "<unset>";
  for (const auto& v : variables) {
    if (v.key == key) value = v.value;
  }
  return value;
}

TEST(Variables, ReferencesChainInAnyOrder) {
  PendingVariables out = both_passes({{"A", "a-$B"}, {"B", "b-${C}"}, {"C", "c"}});
  EXPECT_EQ(value_of(out, "A"), "a-b-c");
  EXPECT_EQ(value_of(out, "B"), "b-c");
  // Dependencies come first.
  EXPECT_EQ(out[0].key, "C");
}

TEST(Variables, UndefinedIsEmptyAndDollarDollarIsDollar) {
  PendingVariables out = both_passes({{"A", "x${NOPE}y$NOPE"}, {"B", "cost: $$5 and $$HOME"}});
  EXPECT_EQ(value_of(out, "A"), "xy");
  EXPECT_EQ(value_of(out, "B"), "cost: $5 and $HOME");
}

TEST(Variables, RawValuesStayLiteralEvenWhenReferenced) {
  PendingVariables out =
      both_passes({{"A", "normal"}, {"B", "raw-$A", true}, {"C", "$B"}, {"D", "$$A"}});
  EXPECT_EQ(value_of(out, "B"), "raw-$A");
  EXPECT_EQ(value_of(out, "C"), "raw-$A");
  EXPECT_EQ(value_of(out, "D"), "$A");
}

TEST(Variables, PercentFormIsExpandedOnlyForDefinedNames) {
  PendingVariables out = both_passes({{"A", "x"}, {"B", "%A%-%NOPE%-%%"}});
  EXPECT_EQ(value_of(out, "B"), "x-%NOPE%-%%");
}

TEST(Variables, ALaterDefinitionOfTheSameNameWins) {
  PendingVariables out = both_passes({{"A", "first"}, {"A", "second"}, {"B", "$A"}});
  EXPECT_EQ(value_of(out, "B"), "second");
}

TEST(Variables, SelfReferenceExpandsOnceInTheRunnerPass) {
  // As in GitLab: the server leaves $PATH (no earlier PATH), the runner puts in PATH's value.
  PendingVariables out = both_passes({{"PATH", "$PATH:/x"}});
  EXPECT_EQ(value_of(out, "PATH"), "$PATH:/x:/x");
}

TEST(Variables, CycleIsAnError) {
  Result<PendingVariables> sorted =
      expand_by_dependency({{"B", "$A"}, {"A", "${C}"}, {"C", "$B"}, {"D", "$D"}});
  ASSERT_FALSE(sorted.ok());
  EXPECT_EQ(sorted.error().message, "circular variable reference detected: A, B, C");
}

TEST(Variables, RunnerPassFollowsGoExpand) {
  PendingVariables vars = {{"A", "a"}, {"A_B", "ab"}};
  EXPECT_EQ(expand_once("$A_B-${A}_B-$A-", vars), "ab-a_B-a-");
  EXPECT_EQ(expand_once("$1$#$*x", vars), "x");
  EXPECT_EQ(expand_once("end$", vars), "end$");
  EXPECT_EQ(expand_once("a $ b", vars), "a $ b");
  EXPECT_EQ(expand_once("${}x${A", vars), "xA");
  EXPECT_EQ(expand_once("$$A", vars), "$A");
}

}  // namespace
}  // namespace burrow::shim::job
