// Scalar typing against what Ruby's Psych (GitLab's YAML loader) gives for the same text;
// the expected values were checked with Ruby 3.1.
#include "job/yaml_scalar.hpp"

#include <gtest/gtest.h>

namespace burrow::shim::job {
namespace {

struct Case {
  const char* text;
  ScalarType type;
  const char* to_s;
};

TEST(YamlScalar, TypesPlainScalarsAsPsychDoes) {
  const Case cases[] = {
      {"hello", ScalarType::string, "hello"},
      {"echo $HOME", ScalarType::string, "echo $HOME"},
      {"yes", ScalarType::boolean, "true"},
      {"No", ScalarType::boolean, "false"},
      {"ON", ScalarType::boolean, "true"},
      {"off", ScalarType::boolean, "false"},
      {"TRUE", ScalarType::boolean, "true"},
      {"y", ScalarType::string, "y"},
      {"n", ScalarType::string, "n"},
      {"nUll", ScalarType::null, ""},
      {"~", ScalarType::null, ""},
      {"", ScalarType::null, ""},
      {"42", ScalarType::integer, "42"},
      {"+12", ScalarType::integer, "12"},
      {"-0", ScalarType::integer, "0"},
      {"010", ScalarType::integer, "8"},
      {"08", ScalarType::string, "08"},
      {"0x1F", ScalarType::integer, "31"},
      {"0b101", ScalarType::integer, "5"},
      {"1_000", ScalarType::integer, "1000"},
      {"1,000", ScalarType::integer, "1000"},
      {"1:30", ScalarType::integer, "5400"},
      {"1:30:00", ScalarType::integer, "5400"},
      {"12:30:61", ScalarType::string, "12:30:61"},
      {"1.50", ScalarType::floating, "1.5"},
      {"1.", ScalarType::floating, "1.0"},
      {".5", ScalarType::floating, "0.5"},
      {"+.5", ScalarType::floating, "0.5"},
      {"1_0.5", ScalarType::floating, "10.5"},
      {"100.0", ScalarType::floating, "100.0"},
      {"1.5e+3", ScalarType::floating, "1500.0"},
      {"1.0e-5", ScalarType::floating, "1.0e-05"},
      {"0.0001", ScalarType::floating, "0.0001"},
      {"1000000000000000.0", ScalarType::floating, "1.0e+15"},
      {"123456789012345678.0", ScalarType::floating, "1.2345678901234568e+17"},
      {"1e3", ScalarType::string, "1e3"},
      {"1.5e3", ScalarType::string, "1.5e3"},
      {"-.inf", ScalarType::floating, "-Infinity"},
      {".NaN", ScalarType::floating, "NaN"},
      {":foo", ScalarType::symbol, "foo"},
      {"2024-01-05", ScalarType::date, "2024-01-05"},
      {"2001-12-14t21:59:43.10-05:00", ScalarType::time, "2001-12-14t21:59:43.10-05:00"},
      {"postgres:15", ScalarType::string, "postgres:15"},
      {"3.19", ScalarType::floating, "3.19"},
  };
  for (const auto& c : cases) {
    TypedScalar typed = type_plain_scalar(c.text);
    EXPECT_EQ(typed.type, c.type) << c.text;
    EXPECT_EQ(typed.text, c.to_s) << c.text;
  }
}

TEST(YamlScalar, FloatsPrintAsRubyPrintsThem) {
  EXPECT_EQ(ruby_float_to_s(1.0), "1.0");
  EXPECT_EQ(ruby_float_to_s(0.1), "0.1");
  EXPECT_EQ(ruby_float_to_s(-1.5), "-1.5");
  EXPECT_EQ(ruby_float_to_s(1e14), "100000000000000.0");
  EXPECT_EQ(ruby_float_to_s(1.5e15), "1.5e+15");
  EXPECT_EQ(ruby_float_to_s(0.00012), "0.00012");
  EXPECT_EQ(ruby_float_to_s(0.00001), "1.0e-05");
}

}  // namespace
}  // namespace burrow::shim::job
