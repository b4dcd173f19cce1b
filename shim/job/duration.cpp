#include "job/duration.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <regex>
#include <sstream>
#include <vector>

namespace burrow::shim::job {
namespace {

// The canonical unit names, smallest first (the clock form counts from seconds upwards).
const std::vector<std::string>& clock_units() {
  static const std::vector<std::string> units = {"seconds", "minutes", "hours",
                                                 "days",    "months",  "years"};
  return units;
}

double unit_seconds(const std::string& unit) {
  static const std::map<std::string, double> seconds = {
      {"seconds", 1},         {"minutes", 60},          {"hours", 3600},     {"days", 86400},
      {"weeks", 86400.0 * 7}, {"months", 86400.0 * 30}, {"years", 31557600},
  };
  auto it = seconds.find(unit);
  return it == seconds.end() ? 0 : it->second;
}

const std::map<std::string, std::string>& unit_words() {
  static const std::map<std::string, std::string> words = {
      {"seconds", "seconds"}, {"second", "seconds"},  {"secs", "seconds"},   {"sec", "seconds"},
      {"s", "seconds"},       {"minutes", "minutes"}, {"minute", "minutes"}, {"mins", "minutes"},
      {"min", "minutes"},     {"m", "minutes"},       {"hours", "hours"},    {"hour", "hours"},
      {"hrs", "hours"},       {"hr", "hours"},        {"h", "hours"},        {"days", "days"},
      {"day", "days"},        {"dy", "days"},         {"d", "days"},         {"weeks", "weeks"},
      {"week", "weeks"},      {"wks", "weeks"},       {"wk", "weeks"},       {"w", "weeks"},
      {"months", "months"},   {"mo", "months"},       {"mos", "months"},     {"month", "months"},
      {"years", "years"},     {"year", "years"},      {"yrs", "years"},      {"yr", "years"},
      {"y", "years"},
  };
  return words;
}

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// Length of a number ([0-9]*\.?[0-9]+) starting at `at`, 0 if none starts there.
size_t number_length(const std::string& text, size_t at) {
  size_t i = at;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i + 1 < text.size() && text[i] == '.' && is_digit(text[i + 1])) {
    i += 1;
    while (i < text.size() && is_digit(text[i])) ++i;
  }
  return i - at;
}

bool contains_number(const std::string& word) {
  for (size_t i = 0; i < word.size(); ++i) {
    if (number_length(word, i) > 0) return true;
  }
  return false;
}

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

}  // namespace

Result<double> parse_duration(std::string_view input) {
  std::string text;
  for (char c : input) text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));

  // Clock form: "1:30" is 1 minute 30 seconds, "1:30:00" 1 hour 30 minutes.
  std::string compact;
  for (char c : text) {
    if (c != ' ') compact += c;
  }
  static const std::regex clock(R"([0-9]+:[0-9]+(:[0-9]+){0,4}(\.[0-9]*)?)");
  if (std::regex_match(compact, clock)) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(compact);
    while (std::getline(in, part, ':')) parts.push_back(part);
    if (parts.size() > clock_units().size()) return Error::msg("too many clock fields");
    text.clear();
    for (size_t i = 0; i < parts.size(); ++i) {
      text += parts[i] + " " + clock_units()[parts.size() - 1 - i] + " ";
    }
  }

  // Numbers become words of their own ("1h30m" -> "1 h 30 m").
  std::string spaced;
  for (size_t i = 0; i < text.size();) {
    size_t length = number_length(text, i);
    if (length == 0) {
      spaced += text[i++];
      continue;
    }
    spaced += " " + text.substr(i, length) + " ";
    i += length;
  }

  std::vector<std::string> words;
  for (const auto& word : split_words(spaced)) {
    if (contains_number(word)) {
      words.push_back(word);
      continue;
    }
    std::string stripped = word;
    if (!stripped.empty() && stripped.front() == ',') stripped.erase(0, 1);
    if (!stripped.empty() && stripped.back() == ',') stripped.pop_back();
    auto unit = unit_words().find(stripped);
    if (unit != unit_words().end()) {
      words.push_back(unit->second);
    } else if (stripped != "and" && stripped != "with" && stripped != "plus") {
      return Error::msg("unknown word \"" + word + "\"");
    }
  }
  if (!words.empty() && !contains_number(words.front())) words.insert(words.begin(), "1");

  double total = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    if (!contains_number(words[i])) continue;
    double number = std::strtod(words[i].c_str(), nullptr);
    // A number followed by another number (not a unit) counts for nothing, as in GitLab.
    total += number * unit_seconds(i + 1 < words.size() ? words[i + 1] : "seconds");
  }
  if (total == 0) return Error::msg("not a duration");
  return total;
}

}  // namespace burrow::shim::job
