// `burrow-bench run`: the whole run from options to the files in --out.
#pragma once

#include <string>
#include <vector>

namespace burrow::bench {

struct RunOptions {
  std::vector<std::string> runtimes;  // items of --runtimes (comma lists)
  std::vector<std::string> suites;    // lifecycle, density, scorecard
  bool quick = false;
  int repetitions = 0;  // 0: 30, or 5 with --quick
  std::string out_dir;
  std::string burrow;  // default path of "burrow"
  std::string probe;   // burrow-bench-probe
  std::string busybox = "/bin/busybox";
  std::string gnuplot = "/usr/bin/gnuplot";
  std::string rootless_user;  // the scorecard's rootless columns run as this user; empty: none
  bool terminal = false;
};

// The exit code: 0, 1 on an error (printed), 130 when stopped by SIGINT/SIGTERM (the results
// measured so far are written).
int run_bench(const RunOptions& options);

// `compare OLD NEW`: prints the comparison; 0, 3 when a regression was found, 1 on an error.
int compare_files(const std::string& old_path, const std::string& new_path);

}  // namespace burrow::bench
