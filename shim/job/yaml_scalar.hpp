// Scalar types as GitLab sees them. GitLab loads .gitlab-ci.yml with Ruby's Psych (YAML 1.1
// rules), then validates Ruby types and turns values into strings with Ruby's to_s. So an
// unquoted `010` is the integer 8, `yes` is true, `1.50` prints as "1.5", `1:30` is 5400 and
// `2024-01-05` is a Date that GitLab refuses to load. Quoted scalars are always strings.
#pragma once

#include <string>
#include <string_view>

namespace burrow::shim::job {

enum class ScalarType { string, symbol, null, boolean, integer, floating, date, time };

struct TypedScalar {
  ScalarType type = ScalarType::string;
  std::string text;    // what Ruby's to_s gives for the loaded value
  bool truth = false;  // ScalarType::boolean: its value
};

// Types an unquoted, untagged scalar the way Psych does.
TypedScalar type_plain_scalar(std::string_view text);

// Ruby's Float#to_s: shortest round-trip digits, "1.0" not "1", exponent form outside
// 1e-4 <= |v| < 1e16.
std::string ruby_float_to_s(double value);

}  // namespace burrow::shim::job
