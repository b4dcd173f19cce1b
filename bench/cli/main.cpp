// burrow-bench: cost and isolation of runc-compatible runtimes, side by side (README:
// burrow-bench). The only place that knows argv.
#include <unistd.h>

#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "cli/run.hpp"

namespace po = boost::program_options;

namespace {

const char* kUsage = R"(usage: burrow-bench run [options] --out DIR
       burrow-bench compare OLD.json NEW.json
       burrow-bench --help | --version

Runs each suite against every runtime (interleaved, repeated) and writes DIR/results.json,
DIR/results.csv and DIR/report.html. Ctrl-C stops after the current measurement and writes
what was measured (exit 130).

Suites: lifecycle (run, create, start, delete, exec), density (10, 50, 100 containers),
scorecard (what a probe sees and can do inside each runtime x configuration).

compare prints each series' median before and after and every changed scorecard fact, flags
regressions beyond noise, and exits 3 when there is one.
)";

std::string self_dir() {
  char path[4096];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return ".";
  std::string exe(path, static_cast<size_t>(n));
  return exe.substr(0, exe.rfind('/'));
}

std::string first_existing(const std::vector<std::string>& candidates) {
  for (const auto& candidate : candidates) {
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

// Checks the options of run and fills in the defaults; false after printing why not.
bool complete(burrow::bench::RunOptions& options, const po::variables_map& vm,
              const std::string& dir) {
  if (options.out_dir.empty()) {
    std::cerr << "burrow-bench: run needs --out DIR\n";
    return false;
  }
  const std::set<std::string> known = {"lifecycle", "density", "scorecard"};
  if (options.suites.empty()) options.suites = {"lifecycle", "density", "scorecard"};
  for (const auto& suite : options.suites) {
    if (!known.count(suite)) {
      std::cerr << "burrow-bench: unknown suite '" << suite
                << "' (lifecycle, density, scorecard)\n";
      return false;
    }
  }
  if (vm.count("repetitions") && options.repetitions < 1) {
    std::cerr << "burrow-bench: --repetitions must be at least 1\n";
    return false;
  }
  if (options.runtimes.empty()) options.runtimes = {"burrow,runc,crun"};
  options.burrow = first_existing({dir + "/../runtime/burrow", dir + "/burrow"});
  if (options.probe.empty()) options.probe = dir + "/burrow-bench-probe";
  if (!vm.count("rootless-user")) {
    const char* sudo_user = getenv("SUDO_USER");
    if (sudo_user != nullptr && std::string(sudo_user) != "root") options.rootless_user = sudo_user;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  burrow::bench::RunOptions options;
  std::string dir = self_dir();
  po::options_description described("options of run");
  described.add_options()("runtimes",
                          po::value<std::vector<std::string>>(&options.runtimes)->composing(),
                          "runtimes, comma separated: NAME (burrow, runc, crun, or a binary on "
                          "PATH) or NAME=PATH [ARG...]; "
                          "may be repeated (default: burrow,runc,crun)")(
      "suite", po::value<std::vector<std::string>>(&options.suites)->composing(),
      "lifecycle, density or scorecard; may be repeated (default: all)")(
      "quick", po::bool_switch(&options.quick),
      "5 repetitions, density at 5 and 10 containers once")(
      "repetitions", po::value<int>(&options.repetitions),
      "repetitions of each lifecycle measurement")(
      "out", po::value<std::string>(&options.out_dir),
      "the directory for the results (made if missing)")(
      "rootless-user", po::value<std::string>(&options.rootless_user),
      "the scorecard's rootless columns (`spec --rootless`) run as this unprivileged user (with "
      "/etc/subuid ranges); default: $SUDO_USER when set, else no rootless columns")(
      "probe", po::value<std::string>(&options.probe),
      "burrow-bench-probe (default: next to burrow-bench)")(
      "busybox", po::value<std::string>(&options.busybox),
      "a static busybox (default: /bin/busybox)")(
      "gnuplot", po::value<std::string>(&options.gnuplot), "gnuplot (default: /usr/bin/gnuplot)")(
      "help,h", "this help")("version,v", "the version");
  po::options_description all;
  all.add(described);
  all.add_options()("command", po::value<std::string>())(
      "files", po::value<std::vector<std::string>>()->composing());
  po::positional_options_description positional;
  positional.add("command", 1).add("files", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& error) {
    std::cerr << "burrow-bench: " << error.what() << "\n" << kUsage;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << kUsage << "\n" << described;
    return 0;
  }
  if (vm.count("version")) {
    std::cout << "burrow-bench version " << BURROW_VERSION << "\n";
    return 0;
  }
  if (vm.count("command") && vm["command"].as<std::string>() == "compare") {
    auto files =
        vm.count("files") ? vm["files"].as<std::vector<std::string>>() : std::vector<std::string>{};
    if (files.size() != 2) {
      std::cerr << "burrow-bench: compare needs two results.json files: OLD NEW\n";
      return 2;
    }
    return burrow::bench::compare_files(files[0], files[1]);
  }
  if (vm.count("files")) {
    std::cerr << "burrow-bench: run takes no arguments: "
              << vm["files"].as<std::vector<std::string>>().front() << "\n";
    return 2;
  }
  if (!vm.count("command") || vm["command"].as<std::string>() != "run") {
    std::cerr << "burrow-bench: "
              << (vm.count("command") ? "unknown command '" + vm["command"].as<std::string>() + "'"
                                      : std::string("no command"))
              << "\n"
              << kUsage;
    return 2;
  }
  if (!complete(options, vm, dir)) return 2;
  options.terminal = isatty(2) == 1;
  return burrow::bench::run_bench(options);
}
