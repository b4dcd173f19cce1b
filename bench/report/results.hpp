// The results of one `burrow-bench run`: the model the suites fill and the report writers read.
// results.json follows bench/results.schema.json (documented in README: burrow-bench).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "machine/machine.hpp"
#include "scorecard/facts.hpp"

namespace burrow::bench {

inline constexpr const char* kResultsSchemaId = "burrow-bench/results/1";

// One measured series: a cost of one runtime, repeated.
struct Measurement {
  std::string suite;    // lifecycle, density
  std::string name;     // run, create, start, delete, exec, start_all, ...
  std::string runtime;  // the runtime's name
  int containers = 0;   // density: containers alive at once; 0 elsewhere
  std::string unit;     // ms or KiB
  std::vector<double> samples;
  int failures = 0;
  std::string first_error;  // what the first failed repetition said
};

// One column of the scorecard: a runtime in a configuration.
struct ScoreColumn {
  std::string runtime;
  std::string config;  // default, profile-default, dind, privileged
  std::string error;   // non-empty when the probe could not run; facts then empty
  std::vector<Fact> facts;
  int score() const;  // facts that are safe
};

struct RuntimeInfo {
  std::string name, path, version;
  std::vector<std::string> args;
  std::string mount_namespace;  // "private" or "private, cgroup2 hidden"
};

struct Results {
  std::string started, finished;  // ISO 8601 UTC
  double duration_s = 0;
  bool quick = false;
  bool interrupted = false;
  std::vector<std::string> suites;
  int repetitions = 0;
  Machine machine;
  std::vector<RuntimeInfo> runtimes;
  std::vector<Measurement> measurements;
  std::vector<ScoreColumn> scorecard;
};

nlohmann::json to_json(const Results& results);
// One header line, then a row per measurement (its summary) and per scorecard fact.
std::string to_csv(const Results& results);
// RFC 4180 quoting of one field: quoted when it holds a comma, quote or newline.
std::string csv_field(const std::string& text);

}  // namespace burrow::bench
