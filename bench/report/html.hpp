// report.html: one self-contained page (inline CSS and SVG, no script, no external link):
// the machine, the runtimes, a chart per cost measurement (distribution per runtime), the
// density curves, the scorecard as a coloured matrix with each fact's evidence on hover and in
// a table, and every summary in a table.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"
#include "report/plot.hpp"
#include "report/results.hpp"

namespace burrow::bench {

// The charts the report holds for these results (pure).
std::vector<Chart> report_charts(const Results& results);

// The page; charts rendered by `plotter`. A chart gnuplot fails on becomes a note in the page.
std::string render_html(const Results& results, const Plotter& plotter);

std::string html_escape(const std::string& text);

}  // namespace burrow::bench
