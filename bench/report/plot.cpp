#include "report/plot.hpp"

#include <fcntl.h>

#include <sstream>

#include "base/file.hpp"
#include "runner/process.hpp"

namespace burrow::bench {

namespace {

// A gnuplot string literal in single quotes ('' is a quote).
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

const char* kColors[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a",
                         "#66a61e", "#e6ab02", "#a6761d"};

std::string color(size_t index) {
  return kColors[index % (sizeof kColors / sizeof *kColors)];
}

}  // namespace

std::string chart_data(const Chart& chart) {
  std::ostringstream out;
  out.precision(10);
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const Series& series = chart.series[s];
    if (chart.kind == Chart::Kind::lines) {
      out << "# " << series.label << "\n";
      for (size_t i = 0; i < series.x.size() && i < series.y.size(); ++i) {
        out << series.x[i] << ' ' << series.y[i] << '\n';
      }
      out << "\n\n";
    } else {
      for (double y : series.y) out << s << ' ' << y << ' ' << '"' << series.label << "\"\n";
    }
  }
  return out.str();
}

std::string gnuplot_script(const Chart& chart, const std::string& data_path,
                           const std::string& svg_path) {
  std::ostringstream gp;
  gp << "set terminal svg size 560,330 font 'DejaVu Sans,11' background rgb 'white'\n"
     << "set output " << quoted(svg_path) << "\n"
     << "set title " << quoted(chart.title) << "\n"
     << "set ylabel " << quoted(chart.y_label) << "\n"
     << "set xlabel " << quoted(chart.x_label) << "\n"
     << "set grid ytics lc rgb '#dddddd'\nset key noenhanced\nset title noenhanced\n"
     << "set border 3\nset tics nomirror\nset yrange [0:*]\n";
  size_t count = chart.series.size();
  if (chart.kind == Chart::Kind::lines) {
    gp << "set key top left\nset xtics (";
    // x ticks at the points of the first series (the density levels)
    bool first = true;
    if (!chart.series.empty()) {
      for (double x : chart.series.front().x) {
        gp << (first ? "" : ", ") << x;
        first = false;
      }
    }
    gp << ")\nplot ";
    for (size_t s = 0; s < count; ++s) {
      gp << (s ? ", " : "") << quoted(data_path) << " index " << s
         << " using 1:2 with linespoints lw 2 pt 7 lc rgb '" << color(s) << "' title "
         << quoted(chart.series[s].label);
    }
    gp << "\n";
    return gp.str();
  }
  gp << "set key off\nset xrange [-0.6:" << (count == 0 ? 0.6 : count - 0.4) << "]\nset xtics (";
  for (size_t s = 0; s < count; ++s)
    gp << (s ? ", " : "") << quoted(chart.series[s].label) << ' ' << s;
  gp << ")\n";
  if (chart.kind == Chart::Kind::bars) {
    gp << "set style fill solid 0.8 border -1\nset boxwidth 0.6\nset xtics rotate by -35\nset "
          "bmargin 7\n"
       << "set yrange [0:110]\n"
       << "plot " << quoted(data_path) << " using 1:2:($1+1) with boxes lc variable, "
       << quoted(data_path) << " using 1:2:(sprintf('%.0f', $2)) with labels offset 0,0.7\n";
    return gp.str();
  }
  gp << "set style fill solid 0.25 border -1\nset style boxplot nooutliers\nset boxwidth 0.5\n"
     << "set linetype cycle " << (count ? count : 1) << "\n";
  for (size_t s = 0; s < count; ++s)
    gp << "set linetype " << s + 1 << " lc rgb '" << color(s) << "'\n";
  gp << "plot ";
  for (size_t s = 0; s < count; ++s) {
    gp << (s ? ", " : "") << quoted(data_path) << " using (" << s << "):($1==" << s
       << " ? $2 : NaN) with boxplot lt " << s + 1 << ", " << quoted(data_path)
       << " using ($1==" << s << " ? $1+0.3*(rand(0)-0.5) : NaN):2 with points pt 7 ps 0.4 lt "
       << s + 1;
  }
  gp << "\n";
  return gp.str();
}

std::string svg_element(const std::string& document) {
  auto start = document.find("<svg");
  auto end = document.rfind("</svg>");
  if (start == std::string::npos || end == std::string::npos) return {};
  return document.substr(start, end + 6 - start);
}

Result<std::string> Plotter::svg(const Chart& chart) const {
  std::string data_path = dir_ + "/" + chart.id + ".dat";
  std::string script_path = dir_ + "/" + chart.id + ".gp";
  std::string svg_path = dir_ + "/" + chart.id + ".svg";
  std::string log_path = dir_ + "/" + chart.id + ".log";
  BURROW_TRY(file::write_atomic(data_path, chart_data(chart)));
  BURROW_TRY(file::write_atomic(script_path, gnuplot_script(chart, data_path, svg_path)));
  Fd log(open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  SpawnOptions options;
  options.err = log.get();
  auto ran = BURROW_TRY(run_timed({gnuplot_, script_path}, options));
  if (!ran.status.ok()) {
    auto text = file::read(log_path);
    return Error::msg("gnuplot " + script_path + ": " + ran.status.describe() + ": " +
                      (text ? *text : ""));
  }
  std::string element = svg_element(BURROW_TRY(file::read(svg_path)));
  if (element.empty()) return Error::msg("gnuplot wrote no <svg> to " + svg_path);
  return element;
}

}  // namespace burrow::bench
