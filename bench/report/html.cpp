#include "report/html.hpp"

#include <map>
#include <set>
#include <sstream>

#include "stats/stats.hpp"

namespace burrow::bench {

namespace {

std::string fixed(double value, int digits = 2) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(digits);
  out << value;
  return out.str();
}

std::vector<std::string> runtime_order(const Results& results) {
  std::vector<std::string> names;
  for (const auto& r : results.runtimes) names.push_back(r.name);
  return names;
}

void distribution_charts(const Results& results, std::vector<Chart>& charts) {
  // One chart per (suite, name, containers), runtimes in the order given.
  std::vector<std::string> keys;
  std::map<std::string, std::vector<const Measurement*>> by_key;
  for (const auto& m : results.measurements) {
    std::string key =
        m.suite + "-" + m.name + (m.containers ? "-" + std::to_string(m.containers) : "");
    if (!by_key.count(key)) keys.push_back(key);
    by_key[key].push_back(&m);
  }
  for (const auto& key : keys) {
    const Measurement& first = *by_key[key].front();
    if (first.suite == "density" && first.name != "start_all" &&
        first.name != "memory_per_container")
      continue;
    Chart chart;
    chart.id = "dist-" + key;
    chart.title =
        first.suite + ": " + first.name +
        (first.containers ? " (" + std::to_string(first.containers) + " containers)" : "");
    chart.y_label = first.unit;
    chart.kind = Chart::Kind::distribution;
    for (const auto& name : runtime_order(results)) {
      for (const Measurement* m : by_key[key]) {
        if (m->runtime == name && !m->samples.empty())
          chart.series.push_back({name, {}, m->samples});
      }
    }
    if (!chart.series.empty()) charts.push_back(std::move(chart));
  }
}

void density_charts(const Results& results, std::vector<Chart>& charts) {
  const std::vector<std::pair<std::string, std::string>> curves = {
      {"start_per_container", "ms per container (median)"},
      {"memory_per_container", "KiB per container (median)"}};
  for (const auto& [name, label] : curves) {
    Chart chart;
    chart.id = "density-" + name;
    chart.title = "density: " + name + " vs containers alive";
    chart.y_label = label;
    chart.x_label = "containers alive at once";
    chart.kind = Chart::Kind::lines;
    for (const auto& runtime : runtime_order(results)) {
      Series series{runtime, {}, {}};
      for (const auto& m : results.measurements) {
        if (m.suite == "density" && m.name == name && m.runtime == runtime && !m.samples.empty()) {
          series.x.push_back(m.containers);
          series.y.push_back(summarize(m.samples).median);
        }
      }
      if (!series.x.empty()) chart.series.push_back(std::move(series));
    }
    if (!chart.series.empty()) charts.push_back(std::move(chart));
  }
}

void score_chart(const Results& results, std::vector<Chart>& charts) {
  Chart chart;
  chart.id = "scores";
  chart.title = "isolation score: facts with the isolating answer (%)";
  chart.y_label = "% of facts";
  chart.kind = Chart::Kind::bars;
  for (const auto& c : results.scorecard) {
    if (c.facts.empty()) continue;
    double percent = 100.0 * c.score() / static_cast<double>(c.facts.size());
    chart.series.push_back({c.runtime + "/" + c.config, {}, {percent}});
  }
  if (!chart.series.empty()) charts.push_back(std::move(chart));
}

const char* kStyle =
    R"(body{font-family:'DejaVu Sans',sans-serif;margin:2em;color:#222;max-width:1400px}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0;font-size:.85em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.safe{background:#c7e9c0}td.unsafe{background:#fcbba1}td.unknown{background:#e0e0e0}
.charts{display:flex;flex-wrap:wrap;gap:1em}figure.chart{margin:0;border:1px solid #ddd;padding:.3em}
figure.chart figcaption{font-size:.8em;color:#555}.note{color:#a00}.small{font-size:.8em;color:#555}
)";

std::string machine_section(const Results& results) {
  const Machine& m = results.machine;
  auto load = [](const LoadAverage& l) {
    return fixed(l.values[0]) + " " + fixed(l.values[1]) + " " + fixed(l.values[2]);
  };
  std::ostringstream out;
  out << "<h2 id=\"machine\">Machine</h2><table class=\"machine\">"
      << "<tr><th>host</th><td>" << html_escape(m.hostname) << "</td></tr>"
      << "<tr><th>OS</th><td>" << html_escape(m.os) << "</td></tr>"
      << "<tr><th>kernel</th><td>" << html_escape(m.kernel) << "</td></tr>"
      << "<tr><th>cgroups</th><td>" << html_escape(m.cgroup_mode) << "</td></tr>"
      << "<tr><th>CPU</th><td>" << m.cpus << " x " << html_escape(m.cpu_model) << "</td></tr>"
      << "<tr><th>memory</th><td>" << m.memory_kib / 1024 << " MiB</td></tr>"
      << "<tr><th>load (1, 5, 15 min) before</th><td>" << load(m.load_before) << "</td></tr>"
      << "<tr><th>load after</th><td>" << load(m.load_after) << "</td></tr>"
      << "<tr><th>run</th><td>" << html_escape(results.started) << " to "
      << html_escape(results.finished) << " (" << fixed(results.duration_s, 1) << " s), "
      << results.repetitions << " repetitions" << (results.quick ? ", quick" : "")
      << (results.interrupted ? ", <b>interrupted</b>" : "") << "</td></tr></table>";
  out << "<table class=\"runtimes\"><tr><th>runtime</th><th>binary</th><th>version</th><th>mount "
         "namespace</th></tr>";
  for (const auto& r : results.runtimes) {
    std::string args;
    for (const auto& a : r.args) args += " " + a;
    out << "<tr><td>" << html_escape(r.name) << "</td><td>" << html_escape(r.path + args)
        << "</td><td>" << html_escape(r.version) << "</td><td>" << html_escape(r.mount_namespace)
        << "</td></tr>";
  }
  out << "</table>";
  return out.str();
}

std::string summary_table(const Results& results) {
  std::ostringstream out;
  out << "<h2 id=\"numbers\">Numbers</h2><table "
         "class=\"summary\"><tr><th>suite</th><th>measurement</th>"
         "<th>containers</th><th>runtime</th><th>unit</th><th>n</th><th>median</th><th>p95</th>"
         "<th>IQR</th><th>min</th><th>max</th><th>failures</th></tr>";
  for (const auto& m : results.measurements) {
    Summary s = summarize(m.samples);
    out << "<tr><td>" << html_escape(m.suite) << "</td><td>" << html_escape(m.name)
        << "</td><td class=\"num\">" << (m.containers ? std::to_string(m.containers) : "")
        << "</td><td>" << html_escape(m.runtime) << "</td><td>" << m.unit
        << "</td><td class=\"num\">" << s.n << "</td><td class=\"num\">" << fixed(s.median)
        << "</td><td class=\"num\">" << fixed(s.p95) << "</td><td class=\"num\">" << fixed(s.iqr)
        << "</td><td class=\"num\">" << fixed(s.min) << "</td><td class=\"num\">" << fixed(s.max)
        << "</td><td class=\"num\" title=\"" << html_escape(m.first_error) << "\">" << m.failures
        << "</td></tr>";
  }
  out << "</table>";
  return out.str();
}

std::string scorecard_section(const Results& results) {
  if (results.scorecard.empty()) return {};
  std::ostringstream out;
  out << "<h2 id=\"scorecard\">Isolation scorecard</h2><p class=\"small\">Each cell is what "
         "burrow-bench-probe saw inside a container of that runtime and configuration; green is "
         "the "
         "isolating answer, red the other; hover for the evidence (also in the table below).</p>"
         "<table class=\"scorecard\"><tr><th>fact</th>";
  std::vector<std::string> ids;
  std::map<std::string, std::string> titles;
  for (const auto& c : results.scorecard) {
    out << "<th>" << html_escape(c.runtime) << "<br>" << html_escape(c.config) << "</th>";
    for (const auto& f : c.facts) {
      if (!titles.count(f.id)) ids.push_back(f.id);
      titles[f.id] = f.title;
    }
  }
  out << "</tr><tr><th>score</th>";
  for (const auto& c : results.scorecard) {
    out << "<td class=\"num score\">"
        << (c.facts.empty() ? "-"
                            : std::to_string(c.score()) + "/" + std::to_string(c.facts.size()))
        << "</td>";
  }
  out << "</tr>";
  for (const auto& id : ids) {
    out << "<tr><th title=\"" << html_escape(id) << "\">" << html_escape(titles[id]) << "</th>";
    for (const auto& c : results.scorecard) {
      const Fact* fact = nullptr;
      for (const auto& f : c.facts) {
        if (f.id == id) fact = &f;
      }
      if (fact == nullptr) {
        out << "<td class=\"unknown\" title=\"" << html_escape(c.error) << "\">-</td>";
      } else {
        const char* cls = fact->value == "unknown" ? "unknown" : fact->safe ? "safe" : "unsafe";
        out << "<td class=\"" << cls << "\" title=\"" << html_escape(fact->evidence) << "\">"
            << html_escape(fact->value) << "</td>";
      }
    }
    out << "</tr>";
  }
  out << "</table>";
  for (const auto& c : results.scorecard) {
    if (!c.error.empty()) {
      out << "<p class=\"note\">" << html_escape(c.runtime + "/" + c.config + ": " + c.error)
          << "</p>";
    }
  }
  out << "<details><summary>evidence of every fact</summary><table "
         "class=\"evidence\"><tr><th>runtime</th>"
         "<th>config</th><th>fact</th><th>value</th><th>evidence</th></tr>";
  for (const auto& c : results.scorecard) {
    for (const auto& f : c.facts) {
      out << "<tr><td>" << html_escape(c.runtime) << "</td><td>" << html_escape(c.config)
          << "</td><td>" << html_escape(f.id) << "</td><td>" << html_escape(f.value) << "</td><td>"
          << html_escape(f.evidence) << "</td></tr>";
    }
  }
  out << "</table></details>";
  return out.str();
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<Chart> report_charts(const Results& results) {
  std::vector<Chart> charts;
  distribution_charts(results, charts);
  density_charts(results, charts);
  score_chart(results, charts);
  return charts;
}

std::string render_html(const Results& results, const Plotter& plotter) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>burrow-bench "
         "report</title>"
      << "<style>" << kStyle << "</style></head><body><h1>burrow-bench report</h1>"
      << "<p class=\"small\">Cost: every measurement interleaved across runtimes (the order "
         "rotates), "
         "repeated; boxes show the quartiles and median, dots every sample. Isolation: the "
         "scorecard.</p>";
  out << machine_section(results);
  out << "<h2 id=\"charts\">Charts</h2><div class=\"charts\">";
  for (const Chart& chart : report_charts(results)) {
    auto svg = plotter.svg(chart);
    if (svg) {
      out << "<figure class=\"chart\" data-chart=\"" << html_escape(chart.id) << "\">" << *svg
          << "<figcaption>" << html_escape(chart.title) << "</figcaption></figure>";
    } else {
      out << "<p class=\"note\">chart " << html_escape(chart.id) << ": "
          << html_escape(svg.error().message) << "</p>";
    }
  }
  out << "</div>";
  out << scorecard_section(results);
  out << summary_table(results);
  out << "</body></html>\n";
  return out.str();
}

}  // namespace burrow::bench
