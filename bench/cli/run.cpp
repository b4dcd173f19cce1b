#include "cli/run.hpp"

#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

#include "base/file.hpp"
#include "report/html.hpp"
#include "report/results.hpp"
#include "stats/stats.hpp"
#include "suites/bundle.hpp"
#include "suites/suites.hpp"

namespace burrow::bench {

namespace {

std::string now_iso() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// The scratch dir; removed with everything in it when the run ends.
class WorkDir {
 public:
  static Result<WorkDir> make() {
    char path[] = "/var/tmp/burrow-bench.XXXXXX";
    if (mkdtemp(path) == nullptr) return Error::from_errno("mkdtemp /var/tmp/burrow-bench.XXXXXX");
    WorkDir dir(path);
    // The rootfs inside must be reachable by containers whose root is an unprivileged host uid.
    if (chmod(path, 0755) != 0) return Error::from_errno(std::string("chmod ") + path);
    return dir;
  }
  WorkDir(WorkDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  WorkDir(const WorkDir&) = delete;
  ~WorkDir() {
    if (!path_.empty()) (void)file::remove_all(path_);
  }
  const std::string& path() const { return path_; }

 private:
  explicit WorkDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

std::string first_line(const std::string& path) {
  auto text = file::read(path);
  if (!text) return {};
  return text->substr(0, text->find('\n'));
}

void describe_runtimes(Session& session, Results& results) {
  for (const Target& target : session.targets()) {
    RuntimeInfo info{target.runtime.name, target.runtime.path, "", target.runtime.args,
                     target.runtime.hide_cgroup2 ? "private, cgroup2 hidden" : "private"};
    std::string out = session.work_dir() + "/version";
    if (session.run(target, {"--version"}, out).ok()) info.version = first_line(out);
    results.runtimes.push_back(std::move(info));
  }
}

// Whatever a stopped suite left: every container under each state root, deleted.
void delete_leftovers(Session& session) {
  for (const Target& target : session.targets()) {
    std::string out = session.work_dir() + "/list";
    if (!session.run(target, {"list", "--quiet"}, out).ok()) continue;
    auto text = file::read(out);
    std::istringstream ids(text ? *text : "");
    for (std::string id; std::getline(ids, id);) {
      if (!id.empty()) session.run(target, {"delete", "--force", id});
    }
  }
}

Status run_suites(Session& session, const RunOptions& options, SuiteOptions& suite,
                  Results& results) {
  int runtimes = static_cast<int>(session.targets().size());
  for (const auto& name : results.suites) {
    if (name == "lifecycle") session.progress().add_steps(lifecycle_steps(suite, runtimes));
    if (name == "density") session.progress().add_steps(density_steps(suite, runtimes));
    if (name == "scorecard") session.progress().add_steps(scorecard_steps(suite, runtimes));
  }
  suite.base_config = BURROW_TRY(runtime_spec(session, session.targets().front()));
  for (const auto& name : results.suites) {
    if (session.stop_requested()) break;
    Status status;
    if (name == "lifecycle") status = run_lifecycle(session, suite, results);
    if (name == "density") status = run_density(session, suite, results);
    if (name == "scorecard") status = run_scorecard(session, suite, results);
    if (!status) return std::move(status).error().wrap("suite " + name);
  }
  (void)options;
  return {};
}

Status write_outputs(const Results& results, const RunOptions& options, const std::string& work) {
  BURROW_TRY(
      file::write_atomic(options.out_dir + "/results.json", to_json(results).dump(2) + "\n"));
  BURROW_TRY(file::write_atomic(options.out_dir + "/results.csv", to_csv(results)));
  std::string plots = work + "/plots";
  BURROW_TRY(file::mkdir_all(plots));
  Plotter plotter(options.gnuplot, plots);
  return file::write_atomic(options.out_dir + "/report.html", render_html(results, plotter));
}

void print_summary(const Results& results, const RunOptions& options) {
  for (const auto& m : results.measurements) {
    Summary s = summarize(m.samples);
    std::printf("%-10s %-22s %4s %-10s median %9.2f %-3s p95 %9.2f IQR %8.2f n %zu%s\n",
                m.suite.c_str(), m.name.c_str(),
                m.containers ? std::to_string(m.containers).c_str() : "", m.runtime.c_str(),
                s.median, m.unit.c_str(), s.p95, s.iqr, s.n,
                m.failures ? (" failures " + std::to_string(m.failures)).c_str() : "");
  }
  for (const auto& c : results.scorecard) {
    std::printf("scorecard  %-10s %-16s %s\n", c.runtime.c_str(), c.config.c_str(),
                c.error.empty()
                    ? (std::to_string(c.score()) + "/" + std::to_string(c.facts.size())).c_str()
                    : c.error.c_str());
  }
  std::printf("results: %s/results.json, results.csv, report.html\n", options.out_dir.c_str());
}

}  // namespace

int run_bench(const RunOptions& options) {
  auto fail = [](const Error& error) {
    std::cerr << "burrow-bench: " << error.message << "\n";
    return 1;
  };
  if (geteuid() != 0) return fail(Error::msg("run as root (the rootless runs are not done yet)"));
  // SIGINT and SIGTERM stay pending; the suites look at them between measurements.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigprocmask(SIG_BLOCK, &stop, nullptr);

  Results results;
  results.started = now_iso();
  auto clock_start = std::chrono::steady_clock::now();
  results.machine = detect_machine();
  results.quick = options.quick;
  results.suites = options.suites;
  SuiteOptions suite;
  suite.repetitions = options.repetitions > 0 ? options.repetitions : options.quick ? 5 : 30;
  results.repetitions = suite.repetitions;
  if (options.quick) {
    suite.density_levels = {5, 10};
    suite.density_repetitions = 1;
  }
  if (!options.rootless_user.empty()) {
    passwd* user = getpwnam(options.rootless_user.c_str());
    if (user == nullptr || user->pw_uid == 0) {
      return fail(Error::msg("--rootless-user " + options.rootless_user + ": " +
                             (user == nullptr ? "no such user" : "must not be root")));
    }
    suite.rootless_uid = static_cast<int>(user->pw_uid);
    suite.rootless_gid = static_cast<int>(user->pw_gid);
  }
  RuntimeDefaults defaults;
  defaults.burrow = options.burrow;
  defaults.hybrid_host = results.machine.cgroup_mode == "hybrid";
  auto runtimes = parse_runtimes(options.runtimes, defaults);
  if (!runtimes) return fail(runtimes.error());
  for (const char* tool :
       {options.probe.c_str(), options.busybox.c_str(), options.gnuplot.c_str()}) {
    if (access(tool, X_OK) != 0) return fail(Error::from_errno(std::string("cannot run ") + tool));
  }
  if (auto made = file::mkdir_all(options.out_dir); !made) return fail(made.error().wrap("--out"));
  auto work = WorkDir::make();
  if (!work) return fail(work.error());
  suite.rootfs = work->path() + "/rootfs";
  if (auto made = make_rootfs(suite.rootfs, options.busybox, options.probe); !made) {
    return fail(made.error().wrap("rootfs"));
  }
  auto session = Session::open(std::move(*runtimes), work->path(), options.terminal);
  if (!session) return fail(session.error());
  describe_runtimes(**session, results);
  Status status = run_suites(**session, options, suite, results);
  (*session)->progress().finish();
  results.interrupted = (*session)->stop_requested();
  delete_leftovers(**session);
  results.machine.load_after = read_load();
  results.finished = now_iso();
  results.duration_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  if (auto written = write_outputs(results, options, work->path()); !written)
    return fail(written.error());
  print_summary(results, options);
  if (!status) return fail(status.error());
  if (results.interrupted) {
    std::cerr << "burrow-bench: stopped by a signal; the results so far are written\n";
    return 130;
  }
  return 0;
}

}  // namespace burrow::bench
