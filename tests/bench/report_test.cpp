#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

#include "report/html.hpp"
#include "report/plot.hpp"
#include "report/results.hpp"
#include "suites/progress.hpp"
#include "suites/suites.hpp"

namespace burrow::bench {
namespace {

Results sample_results() {
  Results r;
  r.started = "2026-12-08T01:00:00Z";
  r.finished = "2026-12-08T01:01:00Z";
  r.duration_s = 60;
  r.quick = true;
  r.suites = {"lifecycle", "density", "scorecard"};
  r.repetitions = 3;
  r.machine.hostname = "h";
  r.machine.kernel = "6.18.0";
  r.machine.os = "Debian";
  r.machine.cgroup_mode = "hybrid";
  r.machine.cpu_model = "cpu, \"fast\"";
  r.machine.cpus = 2;
  r.machine.memory_kib = 1024;
  r.runtimes = {{"burrow", "/b", "burrow version 0.1.0", {}, "private"},
                {"runc", "/r", "runc version 1.1.5", {"--debug"}, "private"}};
  r.measurements.push_back({"lifecycle", "run", "burrow", 0, "ms", {10, 12, 11}, 0, ""});
  r.measurements.push_back(
      {"lifecycle", "run", "runc", 0, "ms", {20, 22}, 1, "run: exit status 1: <oops>"});
  r.measurements.push_back({"density", "start_per_container", "burrow", 5, "ms", {9}, 0, ""});
  r.measurements.push_back({"density", "start_per_container", "burrow", 10, "ms", {9.5}, 0, ""});
  r.measurements.push_back({"density", "memory_per_container", "runc", 5, "KiB", {400}, 0, ""});
  ScoreColumn column{"runc", "privileged", "", {}};
  column.facts.push_back(
      {"seccomp", "seccomp", "seccomp mode", "disabled", false, "Seccomp: 0, Seccomp_filters: 0"});
  column.facts.push_back(
      {"ns.net", "namespaces", "shares the host's net namespace", "own", true, "a, b"});
  r.scorecard.push_back(column);
  r.scorecard.push_back({"runc", "dind", "the probe failed", {}});
  return r;
}

TEST(Results, CsvQuotesAndHasARowPerSeriesAndFact) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
  std::string csv = to_csv(sample_results());
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "kind,suite,name,runtime,config,containers,unit,n,median,p95,min,max,iqr,failures,"
            "value,safe,evidence");
  EXPECT_NE(csv.find("measurement,lifecycle,run,burrow,,0,ms,3,11,11.9,10,12,1,0,,,\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("fact,scorecard,seccomp,runc,privileged,,,,,,,,,,disabled,false,\"Seccomp: 0, "
                     "Seccomp_filters: 0\"\n"),
            std::string::npos)
      << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 5 + 2);
}

TEST(Results, JsonValidatesAgainstTheSchema) {
  if (access("/usr/bin/python3", X_OK) != 0 ||
      system("/usr/bin/python3 -c 'import jsonschema' 2>/dev/null") != 0) {
    GTEST_SKIP() << "no python3-jsonschema (scripts/setup installs it)";
  }
  char path[] = "/tmp/bench-results-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string text = to_json(sample_results()).dump();
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(fd);
  std::string command =
      std::string("/usr/bin/python3 ") + BURROW_SOURCE_DIR + "/bench/validate-results " + path;
  int status = system(command.c_str());
  unlink(path);
  EXPECT_EQ(status, 0) << command;
}

TEST(Report, ChartsForEverySeriesTheDensityCurvesAndScores) {
  auto charts = report_charts(sample_results());
  std::vector<std::string> ids;
  for (const auto& c : charts) ids.push_back(c.id);
  EXPECT_EQ(ids, (std::vector<std::string>{
                     "dist-lifecycle-run", "dist-density-memory_per_container-5",
                     "density-start_per_container", "density-memory_per_container", "scores"}));
  EXPECT_EQ(charts[0].series.size(), 2u);
  EXPECT_EQ(charts[2].series[0].x, (std::vector<double>{5, 10}));
  EXPECT_EQ(charts[4].series.size(), 1u);  // the failed column has no score
  EXPECT_DOUBLE_EQ(charts[4].series[0].y[0], 50);
}

TEST(Report, GnuplotScriptAndData) {
  Chart chart{
      "c", "it's", "ms", "", Chart::Kind::distribution, {{"a", {}, {1, 2}}, {"b", {}, {3}}}};
  EXPECT_EQ(chart_data(chart), "0 1 \"a\"\n0 2 \"a\"\n1 3 \"b\"\n");
  std::string script = gnuplot_script(chart, "/d/c.dat", "/d/c.svg");
  EXPECT_NE(script.find("set title 'it''s'"), std::string::npos) << script;
  EXPECT_NE(script.find("set xtics ('a' 0, 'b' 1)"), std::string::npos) << script;
  EXPECT_NE(script.find("with boxplot"), std::string::npos);
  EXPECT_EQ(svg_element("<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg a=\"1\"><g/></svg>\n"),
            "<svg a=\"1\"><g/></svg>");
  EXPECT_EQ(svg_element("no svg"), "");
}

TEST(Report, HtmlEscapesAndRendersWithGnuplot) {
  EXPECT_EQ(html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  if (access("/usr/bin/gnuplot", X_OK) != 0)
    GTEST_SKIP() << "no gnuplot (scripts/setup installs gnuplot-nox)";
  char dir[] = "/tmp/bench-plots-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string page = render_html(sample_results(), Plotter("/usr/bin/gnuplot", dir));
  system((std::string("rm -rf ") + dir).c_str());
  size_t figures = 0;
  for (size_t at = 0; (at = page.find("<figure class=\"chart\"", at)) != std::string::npos; ++at)
    ++figures;
  EXPECT_EQ(figures, 5u);
  EXPECT_EQ(page.find("class=\"note\">chart"), std::string::npos) << "a chart failed";
  EXPECT_NE(
      page.find("<td class=\"unsafe\" title=\"Seccomp: 0, Seccomp_filters: 0\">disabled</td>"),
      std::string::npos);
  EXPECT_NE(page.find("runc/dind: the probe failed"), std::string::npos);
  EXPECT_NE(page.find("&lt;oops&gt;"), std::string::npos);  // the first error, escaped
  EXPECT_EQ(page.find("<script"), std::string::npos);       // self-contained, no code
  EXPECT_EQ(page.find("http://www.w3.org/1999/xlink\" href=\"http"), std::string::npos);
}

TEST(Progress, LineAndOrder) {
  EXPECT_EQ(Progress::line("lifecycle", "runc", 12, 60, 34.4), "[lifecycle] runc 12/60 ETA 0:34");
  EXPECT_EQ(Progress::line("density 10", "crun", 1, 9, -1), "[density 10] crun 1/9 ETA ?");
  EXPECT_EQ(Progress::line("x", "y", 1, 2, 125), "[x] y 1/2 ETA 2:05");
  EXPECT_EQ(rotated_order(3, 0), (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(rotated_order(3, 1), (std::vector<size_t>{1, 2, 0}));
  EXPECT_EQ(rotated_order(3, 5), (std::vector<size_t>{2, 0, 1}));
}

}  // namespace
}  // namespace burrow::bench
