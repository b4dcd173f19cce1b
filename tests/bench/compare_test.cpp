#include "report/compare.hpp"

#include <gtest/gtest.h>

namespace burrow::bench {
namespace {

using nlohmann::json;

json results(double run_median, double run_iqr, const std::string& seccomp, bool safe) {
  return {{"measurements",
           {{{"suite", "lifecycle"},
             {"name", "run"},
             {"runtime", "burrow"},
             {"containers", 0},
             {"unit", "ms"},
             {"summary", {{"n", 5}, {"median", run_median}, {"iqr", run_iqr}}}},
            {{"suite", "density"},
             {"name", "start_all"},
             {"runtime", "runc"},
             {"containers", 10},
             {"unit", "ms"},
             {"summary", {{"n", 1}, {"median", 500.0}, {"iqr", 0.0}}}}}},
          {"scorecard",
           {{{"runtime", "burrow"},
             {"config", "default"},
             {"facts", {{{"id", "seccomp"}, {"value", seccomp}, {"safe", safe}}}}}}}};
}

TEST(Compare, RegressionBeyondNoiseOnly) {
  auto within = compare_results(results(40, 10, "filter", true), results(48, 10, "filter", true));
  ASSERT_TRUE(within) << within.error().message;
  EXPECT_EQ(within->regressions(), 0);  // +8 ms within an IQR of 10
  auto beyond = compare_results(results(40, 2, "filter", true), results(48, 3, "filter", true));
  ASSERT_TRUE(beyond);
  ASSERT_EQ(beyond->series.size(), 2u);
  EXPECT_EQ(beyond->series[1].key, "lifecycle run burrow");
  EXPECT_EQ(beyond->series[1].verdict, SeriesChange::Verdict::regression);
  EXPECT_EQ(beyond->series[1].noise, 3);
  EXPECT_EQ(beyond->series[0].key, "density start_all runc 10");
  EXPECT_EQ(beyond->series[0].verdict, SeriesChange::Verdict::same);
  auto better = compare_results(results(48, 2, "filter", true), results(40, 2, "filter", true));
  EXPECT_EQ(better->series[1].verdict, SeriesChange::Verdict::improvement);
  EXPECT_EQ(better->regressions(), 0);
}

TEST(Compare, ScorecardFactsThatLostTheirIsolatingAnswer) {
  auto lost = compare_results(results(40, 2, "filter", true), results(40, 2, "disabled", false));
  ASSERT_TRUE(lost);
  ASSERT_EQ(lost->facts.size(), 1u);
  EXPECT_EQ(lost->facts[0].column, "burrow/default");
  EXPECT_EQ(lost->facts[0].id, "seccomp");
  EXPECT_TRUE(lost->facts[0].regression);
  EXPECT_EQ(lost->regressions(), 1);
  std::string text = render_comparison(*lost);
  EXPECT_NE(text.find("scorecard burrow/default seccomp: filter -> disabled  REGRESSION\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("1 regression(s) beyond noise\n"), std::string::npos);
}

TEST(Compare, SeriesInOneFileAloneAndBadInput) {
  json old_results = results(40, 2, "filter", true);
  json new_results = old_results;
  new_results["measurements"].erase(1);
  auto comparison = compare_results(old_results, new_results);
  ASSERT_TRUE(comparison);
  EXPECT_EQ(comparison->only_old, std::vector<std::string>{"density start_all runc 10"});
  EXPECT_EQ(compare_results(json::array(), new_results).error().message,
            "OLD: no measurements array (not a burrow-bench results.json)");
  EXPECT_EQ(compare_results(old_results, json::object()).error().message,
            "NEW: no measurements array (not a burrow-bench results.json)");
}

}  // namespace
}  // namespace burrow::bench
