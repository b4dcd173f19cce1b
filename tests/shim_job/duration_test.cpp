#include "job/duration.hpp"

#include <gtest/gtest.h>

namespace burrow::shim::job {
namespace {

double seconds(const char* text) {
  Result<double> parsed = parse_duration(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.error().message;
  return parsed.ok() ? *parsed : -1;
}

std::string failure(const char* text) {
  Result<double> parsed = parse_duration(text);
  return parsed.ok() ? "<parsed>" : parsed.error().message;
}

TEST(Duration, ReadsGitLabsHumanForms) {
  EXPECT_EQ(seconds("1h 30m"), 5400);
  EXPECT_EQ(seconds("1h30m"), 5400);
  EXPECT_EQ(seconds("3 hours"), 10800);
  EXPECT_EQ(seconds("10 minutes 30 seconds"), 630);
  EXPECT_EQ(seconds("90m"), 5400);
  EXPECT_EQ(seconds("3600"), 3600);  // a bare number is seconds
  EXPECT_EQ(seconds("1.5h"), 5400);
  EXPECT_EQ(seconds("2 days and 3 hours"), 2 * 86400 + 3 * 3600);
  EXPECT_EQ(seconds("1 week"), 7 * 86400);
  EXPECT_EQ(seconds("1 month"), 30 * 86400);
  EXPECT_EQ(seconds("1 year"), 31557600);
  EXPECT_EQ(seconds("2 Hours, 5 Mins"), 7500);
  EXPECT_EQ(seconds("hour"), 3600);  // a unit alone counts once
  EXPECT_EQ(seconds("1:30"), 90);    // clock form: minutes:seconds
  EXPECT_EQ(seconds("1:30:00"), 5400);
  EXPECT_EQ(seconds("1h 30"), 3630);       // a trailing number is seconds
  EXPECT_EQ(seconds("1 2 minutes"), 120);  // a number followed by a number counts for nothing
}

TEST(Duration, RejectsWhatGitLabRejects) {
  EXPECT_EQ(failure("an hour"), "unknown word \"an\"");
  EXPECT_EQ(failure("three hours"), "unknown word \"three\"");
  EXPECT_EQ(failure("-5m"), "unknown word \"-\"");
  EXPECT_EQ(failure("0"), "not a duration");
  EXPECT_EQ(failure(""), "not a duration");
}

}  // namespace
}  // namespace burrow::shim::job
