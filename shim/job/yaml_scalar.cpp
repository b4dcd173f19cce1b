#include "job/yaml_scalar.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <regex>

namespace burrow::shim::job {
namespace {

bool matches(const std::string& text, const std::regex& pattern) {
  return std::regex_match(text, pattern);
}

std::string without(std::string_view text, std::string_view dropped) {
  std::string out;
  for (char c : text) {
    if (dropped.find(c) == std::string_view::npos) out += c;
  }
  return out;
}

// Ruby's Integer() on a Psych integer literal (sign, then 0b / 0x / leading-0 octal / decimal).
std::string integer_to_s(std::string_view literal) {
  std::string digits = without(literal, ",_");
  bool negative = false;
  size_t at = 0;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    negative = digits[0] == '-';
    at = 1;
  }
  int base = 10;
  if (digits.compare(at, 2, "0b") == 0) {
    base = 2;
    at += 2;
  } else if (digits.compare(at, 2, "0x") == 0) {
    base = 16;
    at += 2;
  } else if (digits.size() > at + 1 && digits[at] == '0') {
    base = 8;
    at += 1;
  }
  unsigned long long value = 0;
  auto [end, error] =
      std::from_chars(digits.data() + at, digits.data() + digits.size(), value, base);
  if (error != std::errc() || end != digits.data() + digits.size()) {
    return std::string(literal);  // beyond 64 bits: Ruby has bignums; keep what was written
  }
  return (negative && value != 0 ? "-" : "") + std::to_string(value);
}

}  // namespace

std::string ruby_float_to_s(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value < 0 ? "-Infinity" : "Infinity";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string scientific(buffer, result.ptr);  // "-1.2345e+02"
  std::string sign;
  if (scientific[0] == '-') {
    sign = "-";
    scientific.erase(0, 1);
  }
  size_t e = scientific.find('e');
  std::string digits = without(scientific.substr(0, e), ".");
  int exponent = std::atoi(scientific.c_str() + e + 1);
  int point = exponent + 1;  // digits are 0.DIGITS * 10^point
  std::string out;
  if (point < -3 || point > 15) {
    out = digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0");
    std::string exp = std::to_string(std::abs(exponent));
    if (exp.size() < 2) exp = "0" + exp;
    out += std::string("e") + (exponent < 0 ? "-" : "+") + exp;
  } else if (point <= 0) {
    out = "0." + std::string(-point, '0') + digits;
  } else if (static_cast<size_t>(point) >= digits.size()) {
    out = digits + std::string(point - digits.size(), '0') + ".0";
  } else {
    out = digits.substr(0, point) + "." + digits.substr(point);
  }
  return sign + out;
}

TypedScalar type_plain_scalar(std::string_view view) {
  // The patterns and their order follow Psych's ScalarScanner#tokenize.
  static const std::regex word(R"(^[^\d.:-]?[[:alpha:]_\s!@#$%\^&*(){}<>|/\\~;=]+)");
  static const std::regex starts_other("^[^ytonfYTONF~]");
  static const std::regex null_word("null", std::regex::icase);
  static const std::regex true_word("yes|true|on", std::regex::icase);
  static const std::regex false_word("no|false|off", std::regex::icase);
  static const std::regex time(
      R"(-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?)");
  static const std::regex date(R"(\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d))");
  static const std::regex infinity(R"(\+?\.inf)", std::regex::icase);
  static const std::regex minus_infinity(R"(-\.inf)", std::regex::icase);
  static const std::regex nan(R"(\.nan)", std::regex::icase);
  static const std::regex symbol(R"(:.+)");
  static const std::regex quoted_symbol(R"(:(["'])(.*)\1.*)");
  static const std::regex sexagesimal(R"([-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2})");
  static const std::regex sexagesimal_float(R"([-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}\.[0-9_]*)");
  static const std::regex floating(R"([-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?)");
  static const std::regex lone_dot(R"([-+]?\.)");
  static const std::regex integer(
      R"([-+]?0b[_,]*[0-1][0-1_,]*|[-+]?0[_,]*[0-7][0-7_,]*|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[_,]*[0-9a-fA-F][0-9a-fA-F_,]*)");

  std::string text(view);
  if (text.empty()) return {ScalarType::null, "", false};
  if (std::regex_search(text, word, std::regex_constants::match_continuous) ||
      text.find('\n') != std::string::npos) {
    if (text.size() > 5 || std::regex_search(text, starts_other)) return {ScalarType::string, text};
    if (text == "~" || matches(text, null_word)) return {ScalarType::null, ""};
    if (matches(text, true_word)) return {ScalarType::boolean, "true", true};
    if (matches(text, false_word)) return {ScalarType::boolean, "false", false};
    return {ScalarType::string, text};
  }
  if (matches(text, time)) return {ScalarType::time, text};
  if (matches(text, date)) return {ScalarType::date, text};
  if (matches(text, infinity)) return {ScalarType::floating, "Infinity"};
  if (matches(text, minus_infinity)) return {ScalarType::floating, "-Infinity"};
  if (matches(text, nan)) return {ScalarType::floating, "NaN"};
  if (matches(text, symbol)) {
    std::smatch quoted;
    if (std::regex_match(text, quoted, quoted_symbol)) {
      std::string name = quoted[2];
      if (!name.empty() && name[0] == ':') name.erase(0, 1);
      return {ScalarType::symbol, name};
    }
    return {ScalarType::symbol, text.substr(1)};
  }
  bool sexagesimal_int = matches(text, sexagesimal);
  if (sexagesimal_int || matches(text, sexagesimal_float)) {
    // Psych weighs the parts as 60^2, 60^1, 60^0 from the left (so "1:30" is 5400).
    double total = 0;
    size_t part = 0;
    size_t start = 0;
    while (start <= text.size()) {
      size_t colon = text.find(':', start);
      std::string piece = without(text.substr(start, colon - start), "_");
      double number = sexagesimal_int ? std::atoll(piece.c_str()) : std::atof(piece.c_str());
      total += number * std::pow(60.0, std::abs(static_cast<int>(part) - 2));
      ++part;
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    if (sexagesimal_int)
      return {ScalarType::integer, std::to_string(static_cast<long long>(total))};
    return {ScalarType::floating, ruby_float_to_s(total)};
  }
  if (matches(text, floating)) {
    if (matches(text, lone_dot)) return {ScalarType::string, text};
    std::string cleaned = without(text, ",_");
    // Ruby's Float() rejects "1." and "1.e5"; Psych drops the dangling point first.
    size_t dot = cleaned.find('.');
    if (dot != std::string::npos &&
        (dot + 1 == cleaned.size() || cleaned[dot + 1] == 'e' || cleaned[dot + 1] == 'E')) {
      cleaned.erase(dot, 1);
    }
    return {ScalarType::floating, ruby_float_to_s(std::strtod(cleaned.c_str(), nullptr))};
  }
  if (matches(text, integer)) return {ScalarType::integer, integer_to_s(text)};
  return {ScalarType::string, text};
}

}  // namespace burrow::shim::job
