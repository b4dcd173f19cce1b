#include "report/results.hpp"

#include <sstream>

#include "stats/stats.hpp"

namespace burrow::bench {

namespace {

using nlohmann::json;

json summary_json(const Summary& s) {
  return {{"n", s.n},     {"median", s.median}, {"p95", s.p95}, {"min", s.min},
          {"max", s.max}, {"mean", s.mean},     {"iqr", s.iqr}, {"stddev", s.stddev}};
}

std::string number(double value) {
  std::ostringstream out;
  out.precision(6);
  out << value;
  return out.str();
}

}  // namespace

int ScoreColumn::score() const {
  int safe = 0;
  for (const auto& fact : facts) safe += fact.safe ? 1 : 0;
  return safe;
}

json to_json(const Results& results) {
  json runtimes = json::array();
  for (const auto& r : results.runtimes) {
    runtimes.push_back({{"name", r.name},
                        {"path", r.path},
                        {"args", r.args},
                        {"version", r.version},
                        {"mount_namespace", r.mount_namespace}});
  }
  json measurements = json::array();
  for (const auto& m : results.measurements) {
    measurements.push_back({{"suite", m.suite},
                            {"name", m.name},
                            {"runtime", m.runtime},
                            {"containers", m.containers},
                            {"unit", m.unit},
                            {"samples", m.samples},
                            {"failures", m.failures},
                            {"first_error", m.first_error},
                            {"summary", summary_json(summarize(m.samples))}});
  }
  json columns = json::array();
  for (const auto& c : results.scorecard) {
    json facts = json::array();
    for (const auto& f : c.facts) facts.push_back(to_json(f));
    columns.push_back({{"runtime", c.runtime},
                       {"config", c.config},
                       {"error", c.error},
                       {"score", c.score()},
                       {"max_score", c.facts.size()},
                       {"facts", facts}});
  }
  return {{"schema", kResultsSchemaId},
          {"started", results.started},
          {"finished", results.finished},
          {"duration_s", results.duration_s},
          {"quick", results.quick},
          {"interrupted", results.interrupted},
          {"suites", results.suites},
          {"repetitions", results.repetitions},
          {"machine", to_json(results.machine)},
          {"runtimes", runtimes},
          {"measurements", measurements},
          {"scorecard", columns}};
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string to_csv(const Results& results) {
  std::ostringstream out;
  out << "kind,suite,name,runtime,config,containers,unit,n,median,p95,min,max,iqr,failures,"
         "value,safe,evidence\n";
  for (const auto& m : results.measurements) {
    Summary s = summarize(m.samples);
    out << "measurement," << csv_field(m.suite) << ',' << csv_field(m.name) << ','
        << csv_field(m.runtime) << ",," << m.containers << ',' << m.unit << ',' << s.n << ','
        << number(s.median) << ',' << number(s.p95) << ',' << number(s.min) << ',' << number(s.max)
        << ',' << number(s.iqr) << ',' << m.failures << ",,,\n";
  }
  for (const auto& c : results.scorecard) {
    for (const auto& f : c.facts) {
      out << "fact,scorecard," << csv_field(f.id) << ',' << csv_field(c.runtime) << ','
          << csv_field(c.config) << ",,,,,,,,,," << csv_field(f.value) << ','
          << (f.safe ? "true" : "false") << ',' << csv_field(f.evidence) << '\n';
    }
  }
  return out.str();
}

}  // namespace burrow::bench
