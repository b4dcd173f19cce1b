#include "report/compare.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace burrow::bench {

namespace {

using nlohmann::json;

struct Summarized {
  std::string unit;
  double median = 0, iqr = 0;
};

Result<std::map<std::string, Summarized>> series_of(const json& results, const char* which) {
  if (!results.is_object() || !results.contains("measurements") ||
      !results["measurements"].is_array()) {
    return Error::msg(std::string(which) +
                      ": no measurements array (not a burrow-bench results.json)");
  }
  std::map<std::string, Summarized> series;
  for (const auto& m : results["measurements"]) {
    if (m.value("summary", json::object()).value("n", 0) == 0) continue;
    std::string key =
        m.value("suite", "?") + " " + m.value("name", "?") + " " + m.value("runtime", "?");
    if (m.value("containers", 0) > 0) key += " " + std::to_string(m.value("containers", 0));
    series[key] = {m.value("unit", ""), m["summary"].value("median", 0.0),
                   m["summary"].value("iqr", 0.0)};
  }
  return series;
}

std::map<std::string, json> facts_of(const json& results) {
  std::map<std::string, json> facts;
  for (const auto& column : results.value("scorecard", json::array())) {
    std::string name = column.value("runtime", "?") + "/" + column.value("config", "?");
    for (const auto& fact : column.value("facts", json::array()))
      facts[name + " " + fact.value("id", "?")] = fact;
  }
  return facts;
}

}  // namespace

int Comparison::regressions() const {
  int count = 0;
  for (const auto& s : series) count += s.verdict == SeriesChange::Verdict::regression;
  for (const auto& f : facts) count += f.regression;
  return count;
}

Result<Comparison> compare_results(const json& old_results, const json& new_results) {
  auto old_series = BURROW_TRY(series_of(old_results, "OLD"));
  auto new_series = BURROW_TRY(series_of(new_results, "NEW"));
  Comparison comparison;
  for (const auto& [key, before] : old_series) {
    auto found = new_series.find(key);
    if (found == new_series.end()) {
      comparison.only_old.push_back(key);
      continue;
    }
    const Summarized& after = found->second;
    SeriesChange change{key, after.unit, before.median, after.median,
                        std::max(before.iqr, after.iqr)};
    double delta = after.median - before.median;
    bool beyond =
        std::fabs(delta) > change.noise && std::fabs(delta) > 0.05 * std::fabs(before.median);
    if (beyond)
      change.verdict =
          delta > 0 ? SeriesChange::Verdict::regression : SeriesChange::Verdict::improvement;
    comparison.series.push_back(change);
  }
  for (const auto& [key, after] : new_series) {
    if (!old_series.count(key)) comparison.only_new.push_back(key);
  }
  auto old_facts = facts_of(old_results);
  auto new_facts = facts_of(new_results);
  for (const auto& [key, before] : old_facts) {
    auto found = new_facts.find(key);
    if (found == new_facts.end() || found->second.value("value", "") == before.value("value", ""))
      continue;
    auto space = key.find(' ');
    comparison.facts.push_back(
        {key.substr(0, space), key.substr(space + 1), before.value("value", ""),
         found->second.value("value", ""),
         before.value("safe", false) && !found->second.value("safe", false)});
  }
  return comparison;
}

std::string render_comparison(const Comparison& comparison) {
  std::ostringstream out;
  char line[256];
  for (const auto& s : comparison.series) {
    const char* verdict = s.verdict == SeriesChange::Verdict::regression    ? "REGRESSION"
                          : s.verdict == SeriesChange::Verdict::improvement ? "better"
                                                                            : "";
    double ratio = s.old_median != 0 ? s.new_median / s.old_median : 0;
    std::snprintf(line, sizeof line, "%-40s %10.2f -> %10.2f %-3s  x%.2f  (noise %.2f)  %s\n",
                  s.key.c_str(), s.old_median, s.new_median, s.unit.c_str(), ratio, s.noise,
                  verdict);
    out << line;
  }
  for (const auto& f : comparison.facts) {
    out << "scorecard " << f.column << " " << f.id << ": " << f.old_value << " -> " << f.new_value
        << (f.regression ? "  REGRESSION" : "") << "\n";
  }
  for (const auto& key : comparison.only_old) out << "only in OLD: " << key << "\n";
  for (const auto& key : comparison.only_new) out << "only in NEW: " << key << "\n";
  out << comparison.regressions() << " regression(s) beyond noise\n";
  return out.str();
}

}  // namespace burrow::bench
