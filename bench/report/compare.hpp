// `burrow-bench compare OLD NEW`: what changed between two results.json files. A series is a
// regression when its median grew by more than 5% and by more than the spread (the larger IQR
// of the two runs): slower or bigger beyond noise. A scorecard fact regresses when it lost its
// isolating answer. Pure: tested on JSON documents.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.hpp"

namespace burrow::bench {

struct SeriesChange {
  std::string key;  // "lifecycle run burrow" or "density start_all burrow 50"
  std::string unit;
  double old_median = 0, new_median = 0;
  double noise = 0;  // max(old IQR, new IQR)
  enum class Verdict { same, regression, improvement } verdict = Verdict::same;
};

struct FactChange {
  std::string column;  // runtime/config
  std::string id;
  std::string old_value, new_value;
  bool regression = false;  // safe before, not now
};

struct Comparison {
  std::vector<SeriesChange> series;
  std::vector<FactChange> facts;                // only the facts whose value changed
  std::vector<std::string> only_old, only_new;  // series or columns in one file alone
  int regressions() const;
};

// Errors name which file lacks what.
Result<Comparison> compare_results(const nlohmann::json& old_results,
                                   const nlohmann::json& new_results);
std::string render_comparison(const Comparison& comparison);

}  // namespace burrow::bench
