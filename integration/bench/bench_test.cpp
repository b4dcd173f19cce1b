// The bench tier (label bench; root): one `burrow-bench run --quick` over burrow and runc, then
// checks of what it wrote: results.json against bench/results.schema.json, evidence in every
// scorecard row, facts that must hold (a --privileged runc container has every capability and no
// seccomp; burrow's dind profile maps root to an unprivileged host uid), results.csv, and
// report.html rendered by headless Chromium with its charts present. Speed is printed, never
// asserted.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "expected_messages.hpp"
#include "harness/command.hpp"

namespace {

using integration::run_command;
using nlohmann::json;

struct QuickRun {
  std::string out_dir;
  std::string scratch;
  integration::CommandResult result;
  double seconds = 0;
  json results;
  bool owns_scratch = false;  // a run of this process, not the ctest fixture's
};

// Set up once: the run takes about a minute.
std::unique_ptr<QuickRun>& quick_run() {
  static std::unique_ptr<QuickRun> run;
  return run;
}

// The rootless columns run as the rootless tier's test user (scripts/setup-test-user).
std::string test_user() {
  const char* user = getenv("BURROW_TEST_USER");
  return user != nullptr ? user : "burrow-test";
}

std::string skip_reason() {
  if (geteuid() != 0) return "the bench runs containers as root";
  if (access("/usr/sbin/runc", X_OK) != 0) return "no /usr/sbin/runc (scripts/setup installs runc)";
  if (access("/usr/bin/gnuplot", X_OK) != 0)
    return "no gnuplot (scripts/setup installs gnuplot-nox)";
  if (access("/bin/busybox", X_OK) != 0)
    return "no /bin/busybox (scripts/setup installs busybox-static)";
  return {};
}

// The quick run over burrow and runc; its duration is printed.
QuickRun run_quick(const std::string& out_dir, const std::string& scratch) {
  QuickRun run;
  run.scratch = scratch;
  run.out_dir = out_dir;
  auto start = std::chrono::steady_clock::now();
  std::vector<std::string> command{BURROW_BENCH_BINARY, "run",   "--quick", "--runtimes",
                                   "burrow,runc",       "--out", out_dir,   "--rootless-user",
                                   test_user()};
  if (getpwnam(test_user().c_str()) == nullptr) command.resize(command.size() - 2);
  run.result = run_command(command, scratch, std::chrono::minutes(5));
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("burrow-bench run --quick --runtimes burrow,runc: %.1f s, exit %d\n%s%s", run.seconds,
              run.result.exit_code, run.result.out.c_str(), run.result.err.c_str());
  return run;
}

// Under ctest, the quick run is the fixture test bench.QuickRun (BenchQuickRun.Runs), which
// writes to $BURROW_BENCH_QUICK_OUT; the tests read what it wrote. Run by hand, the first test
// runs it into a scratch dir of its own.
const char* fixture_dir() {
  return getenv("BURROW_BENCH_QUICK_OUT");
}

TEST(BenchQuickRun, Runs) {
  if (auto reason = skip_reason(); !reason.empty()) GTEST_SKIP() << reason;
  if (fixture_dir() == nullptr)
    GTEST_SKIP() << "ctest's fixture for the bench tests (no BURROW_BENCH_QUICK_OUT)";
  std::string dir = fixture_dir();
  run_command({"/bin/rm", "-rf", dir}, "/tmp");
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0) << dir;
  std::string scratch = dir + "/scratch";
  ASSERT_EQ(mkdir(scratch.c_str(), 0755), 0);
  QuickRun run = run_quick(dir + "/out", scratch);
  integration::write_text(dir + "/exit_code", std::to_string(run.result.exit_code));
  integration::write_text(dir + "/stdout", run.result.out + run.result.err);
  EXPECT_EQ(run.result.exit_code, 0) << run.result.describe();
}

class Bench : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!skip_reason().empty() || quick_run()) return;
    auto run = std::make_unique<QuickRun>();
    struct stat info {};
    if (fixture_dir() != nullptr &&
        stat((std::string(fixture_dir()) + "/exit_code").c_str(), &info) == 0) {
      std::string dir = fixture_dir();
      run->out_dir = dir + "/out";
      run->scratch = dir + "/scratch";
      run->result.exit_code = std::stoi(integration::read_text(dir + "/exit_code"));
      run->result.out = integration::read_text(dir + "/stdout");
    } else {
      std::string scratch = integration::make_temp_dir("bench-test");
      *run = run_quick(scratch + "/out", scratch);
      run->owns_scratch = true;
    }
    run->results =
        json::parse(integration::read_text(run->out_dir + "/results.json"), nullptr, false);
    quick_run() = std::move(run);
  }
  static void TearDownTestSuite() {
    if (quick_run() && quick_run()->owns_scratch)
      run_command({"/bin/rm", "-rf", quick_run()->scratch}, "/tmp");
    quick_run().reset();
  }
  void SetUp() override {
    if (auto reason = skip_reason(); !reason.empty()) GTEST_SKIP() << reason;
    ASSERT_TRUE(quick_run());
    ASSERT_EQ(run().result.exit_code, 0) << run().result.describe();
    ASSERT_FALSE(run().results.is_discarded()) << "results.json is no JSON";
  }
  static QuickRun& run() { return *quick_run(); }

  static const json* column(const std::string& runtime, const std::string& config) {
    for (const auto& c : run().results["scorecard"]) {
      if (c["runtime"] == runtime && c["config"] == config) return &c;
    }
    return nullptr;
  }
  static const json* fact(const json& column, const std::string& id) {
    for (const auto& f : column["facts"]) {
      if (f["id"] == id) return &f;
    }
    return nullptr;
  }
};

TEST_F(Bench, ResultsValidateAgainstTheSchema) {
  if (system("/usr/bin/python3 -c 'import jsonschema' 2>/dev/null") != 0) {
    GTEST_SKIP() << "no python3-jsonschema (scripts/setup installs it)";
  }
  auto check = run_command({"/usr/bin/python3", BURROW_SOURCE_DIR "/bench/validate-results",
                            run().out_dir + "/results.json"},
                           run().scratch);
  EXPECT_EQ(check.exit_code, 0) << check.describe();
}

TEST_F(Bench, EveryRuntimeMeasuredWithoutFailures) {
  const json& results = run().results;
  EXPECT_EQ(results["machine"]["cgroup_mode"].get<std::string>().empty(), false);
  EXPECT_FALSE(results["interrupted"].get<bool>());
  for (const char* runtime : {"burrow", "runc"}) {
    for (const char* name : {"run", "run_limits", "create", "start", "delete", "exec", "start_all",
                             "memory_per_container"}) {
      bool found = false;
      for (const auto& m : results["measurements"]) {
        if (m["runtime"] != runtime || m["name"] != name) continue;
        found = true;
        EXPECT_EQ(m["failures"], 0) << runtime << " " << name << ": " << m["first_error"];
        EXPECT_GT(m["summary"]["n"].get<int>(), 0) << runtime << " " << name;
        if (m["unit"] == "ms") {
          EXPECT_GT(m["summary"]["median"].get<double>(), 0.0) << runtime << " " << name;
        }
      }
      EXPECT_TRUE(found) << runtime << " " << name;
    }
  }
}

TEST_F(Bench, EveryScorecardRowHasEvidence) {
  int rows = 0;
  for (const auto& c : run().results["scorecard"]) {
    EXPECT_EQ(c["error"], "") << c["runtime"] << "/" << c["config"];
    EXPECT_FALSE(c["facts"].empty()) << c["runtime"] << "/" << c["config"];
    for (const auto& f : c["facts"]) {
      ++rows;
      EXPECT_FALSE(f["evidence"].get<std::string>().empty()) << f["id"];
      EXPECT_NE(f["value"], "unknown")
          << c["runtime"] << "/" << c["config"] << " " << f["id"] << ": " << f["evidence"];
    }
  }
  EXPECT_GT(rows, 0);
  // burrow has the profiles, runc only the default and the privileged configs.
  EXPECT_NE(column("burrow", "dind"), nullptr);
  EXPECT_NE(column("burrow", "profile-default"), nullptr);
  EXPECT_EQ(column("runc", "dind"), nullptr);
}

// "Every capability" is every one the caller holds: this test's own bounding set (as Docker's
// --privileged gives what dockerd has).
std::string own_bounding_set() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("CapBnd:", 0) == 0) return line.substr(line.find_first_not_of(" \t", 7));
  }
  return {};
}

TEST_F(Bench, PrivilegedRuncHasEveryCapabilityAndNoSeccomp) {
  const json* c = column("runc", "privileged");
  ASSERT_NE(c, nullptr);
  std::string all = own_bounding_set();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ((*fact(*c, "caps.bounding"))["evidence"].get<std::string>().substr(0, 24),
            "CapBnd: " + all);
  EXPECT_EQ((*fact(*c, "caps.effective"))["evidence"].get<std::string>().substr(0, 24),
            "CapEff: " + all);
  EXPECT_EQ((*fact(*c, "seccomp"))["value"], "disabled");
  EXPECT_EQ((*fact(*c, "seccomp"))["evidence"], "Seccomp: 0, Seccomp_filters: 0");
  EXPECT_EQ((*fact(*c, "identity.root_host_uid"))["value"], "0");
  EXPECT_EQ((*fact(*c, "ns.user"))["value"], "shared");
}

TEST_F(Bench, BurrowDefaultsConfine) {
  const json* dind = column("burrow", "dind");
  ASSERT_NE(dind, nullptr);
  EXPECT_EQ((*fact(*dind, "ns.user"))["value"], "own");
  EXPECT_NE((*fact(*dind, "identity.root_host_uid"))["value"], "0")
      << (*fact(*dind, "identity.root_host_uid"));
  EXPECT_EQ((*fact(*dind, "seccomp"))["value"], "filter");
  const json* profile = column("burrow", "profile-default");
  ASSERT_NE(profile, nullptr);
  EXPECT_EQ((*fact(*profile, "seccomp"))["value"], "filter");
  EXPECT_EQ((*fact(*profile, "syscall.bpf"))["safe"], true);
  EXPECT_EQ((*fact(*profile, "syscall.io_uring_setup"))["safe"], true);
  // The score orders the columns: privileged scores lowest.
  EXPECT_GT((*profile)["score"].get<int>(), (*column("runc", "privileged"))["score"].get<int>());
}

TEST_F(Bench, RootlessContainersMapRootToTheCaller) {
  passwd* user = getpwnam(test_user().c_str());
  if (user == nullptr)
    GTEST_SKIP() << "no test user " << test_user() << " (scripts/setup-test-user makes it)";
  for (const char* runtime : {"burrow", "runc"}) {
    const json* c = column(runtime, "rootless");
    ASSERT_NE(c, nullptr) << runtime;
    ASSERT_EQ((*c)["error"], "") << runtime;
    EXPECT_EQ((*fact(*c, "identity.root_host_uid"))["value"], std::to_string(user->pw_uid))
        << runtime;
    EXPECT_EQ((*fact(*c, "ns.user"))["value"], "own") << runtime;
  }
}

// compare: the run against itself has no regression; against a copy where burrow's run median
// doubled and a fact lost its isolating answer, both are flagged and the exit code is 3.
TEST_F(Bench, CompareFlagsRegressionsBeyondNoise) {
  std::string same_path = run().out_dir + "/results.json";
  auto same = run_command({BURROW_BENCH_BINARY, "compare", same_path, same_path}, run().scratch);
  EXPECT_EQ(same.exit_code, 0) << same.describe();
  EXPECT_NE(same.out.find("0 regression(s) beyond noise"), std::string::npos) << same.out;

  json worse = run().results;
  for (auto& m : worse["measurements"]) {
    if (m["suite"] == "lifecycle" && m["name"] == "run" && m["runtime"] == "burrow") {
      m["summary"]["median"] = m["summary"]["median"].get<double>() * 2 + 100;
    }
  }
  for (auto& c : worse["scorecard"]) {
    if (c["runtime"] != "burrow" || c["config"] != "profile-default") continue;
    for (auto& f : c["facts"]) {
      if (f["id"] == "seccomp") f = {{"id", "seccomp"}, {"value", "disabled"}, {"safe", false}};
    }
  }
  std::string worse_path = run().scratch + "/worse.json";
  integration::write_text(worse_path, worse.dump());
  auto flagged =
      run_command({BURROW_BENCH_BINARY, "compare", same_path, worse_path}, run().scratch);
  EXPECT_EQ(flagged.exit_code, 3) << flagged.describe();
  EXPECT_NE(flagged.out.find("2 regression(s) beyond noise"), std::string::npos) << flagged.out;
  EXPECT_NE(
      flagged.out.find("scorecard burrow/profile-default seccomp: filter -> disabled  REGRESSION"),
      std::string::npos)
      << flagged.out;
}

TEST_F(Bench, CsvHasARowPerSeriesAndFact) {
  std::istringstream csv(integration::read_text(run().out_dir + "/results.csv"));
  size_t lines = 0;
  for (std::string line; std::getline(csv, line);) ++lines;
  size_t facts = 0;
  for (const auto& c : run().results["scorecard"]) facts += c["facts"].size();
  EXPECT_EQ(lines, 1 + run().results["measurements"].size() + facts);
}

TEST_F(Bench, ReportRendersInHeadlessChromiumWithItsCharts) {
  if (access("/usr/bin/chromium", X_OK) != 0)
    GTEST_SKIP() << "no chromium (scripts/setup installs it)";
  std::string page = "file://" + run().out_dir + "/report.html";
  std::vector<std::string> chromium{"/usr/bin/chromium",
                                    "--headless",
                                    "--no-sandbox",
                                    "--disable-gpu",
                                    "--user-data-dir=" + run().scratch + "/chromium",
                                    "--window-size=1400,4000"};
  auto dom_command = chromium;
  dom_command.insert(dom_command.end(), {"--dump-dom", page});
  auto dom = run_command(dom_command, run().scratch, std::chrono::seconds(90));
  ASSERT_EQ(dom.exit_code, 0) << dom.describe();
  auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t at = 0; (at = dom.out.find(needle, at)) != std::string::npos; at += needle.size())
      ++n;
    return n;
  };
  size_t figures = count("<figure class=\"chart\"");
  size_t svgs = count("<svg");
  std::printf("report.html in chromium: %zu chart figures, %zu svg elements, %zu scorecard cells\n",
              figures, svgs, count("<td class=\"safe\"") + count("<td class=\"unsafe\""));
  // lifecycle: 6 distributions; density: start_all and memory at 2 levels, 2 curves; scores.
  EXPECT_EQ(figures, 6u + 4u + 2u + 1u);
  EXPECT_EQ(svgs, figures);
  EXPECT_EQ(count("class=\"note\""), 0u) << "a chart or column failed";
  EXPECT_GT(count("<td class=\"unsafe\""), 0u);
  EXPECT_GT(count("<td class=\"safe\""), 0u);

  auto shot_command = chromium;
  std::string shot = run().out_dir + "/report.png";
  shot_command.insert(shot_command.end(), {"--screenshot=" + shot, "--hide-scrollbars", page});
  auto screenshot = run_command(shot_command, run().scratch, std::chrono::seconds(90));
  ASSERT_EQ(screenshot.exit_code, 0) << screenshot.describe();
  struct stat info {};
  ASSERT_EQ(stat(shot.c_str(), &info), 0) << "no screenshot at " << shot;
  EXPECT_GT(info.st_size, 10000) << "an empty screenshot";
  run_command({"/bin/rm", "-rf", run().scratch + "/chromium"}, "/tmp");  // its profile, megabytes
}

// Bad input: the exact message, exit 2 (usage) or 1, and no --out dir or scratch dir left.
TEST(BenchBadInput, NamesTheProblemAndLeavesNothing) {
  if (auto reason = skip_reason(); !reason.empty()) GTEST_SKIP() << reason;
  std::string scratch = integration::make_temp_dir("bench-bad");
  std::string out = scratch + "/out";
  struct Case {
    std::vector<std::string> args;
    const char* message;
    int exit_code;
  };
  const std::vector<Case> cases = {
      {{"run", "--runtimes", "runc"}, "bench_no_out", 2},
      {{"run", "--suite", "nope", "--out", out}, "bench_unknown_suite", 2},
      {{"run", "--runtimes", "x=bin/true", "--out", out}, "bench_relative_runtime", 1},
      {{"run", "--runtimes", "x=/nonexistent/runc", "--out", out}, "bench_missing_runtime", 1},
      {{"run", "--runtimes", "runc,runc", "--out", out}, "bench_runtime_twice", 1},
      {{"run", "--rootless-user", "no-such-user-here", "--out", out}, "bench_no_such_user", 1},
      {{"compare", "one.json"}, "bench_compare_args", 2},
  };
  auto work_dirs = [] {
    auto listed =
        run_command({"/bin/sh", "-c", "ls -d /var/tmp/burrow-bench.* 2>/dev/null | wc -l"}, "/tmp");
    return listed.out;
  };
  std::string before = work_dirs();
  for (const auto& c : cases) {
    std::vector<std::string> argv{BURROW_BENCH_BINARY};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    auto result = run_command(argv, scratch);
    std::string expected(integration::expected_message(c.message).burrow_text);
    EXPECT_EQ(result.exit_code, c.exit_code) << c.message << ": " << result.describe();
    EXPECT_EQ(result.err.substr(0, result.err.find('\n')), expected) << result.describe();
    struct stat info {};
    EXPECT_NE(stat(out.c_str(), &info), 0) << c.message << ": made " << out;
  }
  EXPECT_EQ(work_dirs(), before) << "a scratch dir was left under /var/tmp";
  run_command({"/bin/rm", "-rf", scratch}, "/tmp");
}

// Processes whose root is under a burrow-bench scratch dir (a container the bench left).
std::string processes_rooted_in_bench_dirs() {
  std::string found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code error;
    auto root = std::filesystem::read_symlink(entry.path() / "root", error);
    if (!error && root.string().find("/var/tmp/burrow-bench.") == 0)
      found += name + " " + root.string() + "\n";
  }
  return found;
}

// SIGINT in the middle of a run: exit 130, what was measured written and marked interrupted,
// every container deleted, the scratch dir removed.
TEST(BenchStop, SigintKeepsWhatWasMeasured) {
  if (auto reason = skip_reason(); !reason.empty()) GTEST_SKIP() << reason;
  std::string scratch = integration::make_temp_dir("bench-stop");
  std::string out = scratch + "/out";
  integration::Command bench({BURROW_BENCH_BINARY, "run", "--runtimes", "burrow", "--suite",
                              "lifecycle", "--repetitions", "1000", "--out", out},
                             scratch + "/stdout", scratch + "/stderr");
  // Once the suite runs (its first progress line), let it measure a while, then stop it.
  for (int i = 0;
       i < 300 && integration::read_text(scratch + "/stderr").find("[lifecycle] burrow 1/") ==
                      std::string::npos;
       ++i) {
    usleep(100000);
  }
  sleep(2);
  bench.send_signal(SIGINT);
  auto result = bench.wait(std::chrono::seconds(60));
  EXPECT_EQ(result.exit_code, 130)
      << result.describe() << integration::read_text(scratch + "/stderr");
  json results = json::parse(integration::read_text(out + "/results.json"), nullptr, false);
  ASSERT_FALSE(results.is_discarded());
  EXPECT_TRUE(results["interrupted"].get<bool>());
  size_t samples = 0;
  for (const auto& m : results["measurements"]) samples += m["samples"].size();
  EXPECT_GT(samples, 0u) << "nothing measured was kept";
  EXPECT_LT(results["measurements"][0]["samples"].size(), 1000u);
  EXPECT_NE(integration::read_text(scratch + "/stderr")
                .find("burrow-bench: stopped by a signal; the results so far are written"),
            std::string::npos);
  EXPECT_EQ(processes_rooted_in_bench_dirs(), "") << "containers of the run are left";
  run_command({"/bin/rm", "-rf", scratch}, "/tmp");
}

}  // namespace
