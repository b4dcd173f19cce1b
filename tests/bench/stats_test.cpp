#include "stats/stats.hpp"

#include <gtest/gtest.h>

namespace burrow::bench {
namespace {

TEST(Stats, QuantilesInterpolateBetweenClosestRanks) {
  std::vector<double> values{4, 1, 3, 2};  // unsorted on purpose
  EXPECT_DOUBLE_EQ(quantile(values, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile(values, 0.0), 1);
  EXPECT_DOUBLE_EQ(quantile(values, 1.0), 4);
  EXPECT_DOUBLE_EQ(quantile(values, 0.95), 3.85);
  EXPECT_DOUBLE_EQ(quantile({}, 0.5), 0);
}

TEST(Stats, SummaryOfOddCount) {
  Summary s = summarize({10, 30, 20, 50, 40});
  EXPECT_EQ(s.n, 5u);
  EXPECT_DOUBLE_EQ(s.median, 30);
  EXPECT_DOUBLE_EQ(s.min, 10);
  EXPECT_DOUBLE_EQ(s.max, 50);
  EXPECT_DOUBLE_EQ(s.mean, 30);
  EXPECT_DOUBLE_EQ(s.iqr, 20);  // p75 40 - p25 20
  EXPECT_DOUBLE_EQ(s.p95, 48);
  EXPECT_NEAR(s.stddev, 15.8114, 1e-4);
}

TEST(Stats, SingleAndEmpty) {
  Summary one = summarize({7});
  EXPECT_EQ(one.n, 1u);
  EXPECT_DOUBLE_EQ(one.median, 7);
  EXPECT_DOUBLE_EQ(one.p95, 7);
  EXPECT_DOUBLE_EQ(one.stddev, 0);
  Summary none = summarize({});
  EXPECT_EQ(none.n, 0u);
  EXPECT_DOUBLE_EQ(none.median, 0);
}

}  // namespace
}  // namespace burrow::bench
