// Charts of the report, drawn by gnuplot (Debian's gnuplot-nox) as SVG: the script and data
// are written here, gnuplot renders, the SVG element is inlined into report.html.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"

namespace burrow::bench {

// One series of a chart: a label and its (x, y) points or, for distributions, its samples.
struct Series {
  std::string label;
  std::vector<double> x;
  std::vector<double> y;
};

struct Chart {
  std::string id;  // file stem and data-chart attribute
  std::string title;
  std::string y_label;
  std::string x_label;
  enum class Kind { distribution, lines, bars } kind = Kind::distribution;
  std::vector<Series> series;  // distribution: one per runtime (y = samples); bars: y[0] per label
};

// The gnuplot script for `chart` whose data is in data_path (pure; data from chart_data).
std::string gnuplot_script(const Chart& chart, const std::string& data_path,
                           const std::string& svg_path);
// The data file: distribution "index value label" rows; lines one block per series (x y),
// separated by two blank lines; bars "index value label".
std::string chart_data(const Chart& chart);

class Plotter {
 public:
  Plotter(std::string gnuplot, std::string scratch_dir)
      : gnuplot_(std::move(gnuplot)), dir_(std::move(scratch_dir)) {}
  // Renders the chart; the <svg ...>...</svg> element alone (no XML prolog).
  Result<std::string> svg(const Chart& chart) const;

 private:
  std::string gnuplot_;
  std::string dir_;
};

// Strips an SVG document down to its <svg> element.
std::string svg_element(const std::string& document);

}  // namespace burrow::bench
