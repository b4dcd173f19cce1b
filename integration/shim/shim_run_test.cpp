// burrow-shim run, end to end: the script on STDIN of the job container, GitLab's semantics, live
// output and the job log, services by alias, timeouts, cancellation, kill-safety and cleanup.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "harness/leftovers.hpp"
#include "shim/shim_fixture.hpp"

namespace integration::shim {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// A .gitlab-ci.yml whose every job carries the test's marker (so leftovers can be found).
std::string ci(const std::string& marker, const std::string& jobs) {
  return "variables:\n  BURROW_TEST_ID: " + marker + "\n" + jobs;
}

TEST_F(ShimTest, MultiLineScriptVariablesAndAfterScript) {
  write_ci(ci(marker_, R"yaml(
variables:
  GREETING: hello
test:
  image: burrow-test/busybox:1
  variables:
    TARGET: world
    MESSAGE: "$GREETING ${TARGET}"
  before_script:
    - echo before
  script:
    - echo "$MESSAGE from $CI_JOB_NAME in $(pwd)"
    - |
      for i in 1 2 3; do
        echo "line $i"
      done
    - test "$CI" = true && echo ci-is-set
  after_script:
    - echo after-ran
)yaml"));
  CommandResult result = run_job("test");
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.out.find("hello world from test in /builds/project\n"), std::string::npos)
      << result.describe();
  EXPECT_NE(result.out.find("line 1\nline 2\nline 3\n"), std::string::npos) << result.describe();
  EXPECT_NE(result.out.find("ci-is-set\n"), std::string::npos) << result.describe();
  EXPECT_LT(result.out.find("before\n"), result.out.find("hello world"));
  EXPECT_NE(result.out.find("after-ran\n"), std::string::npos) << result.describe();
  // GitLab echoes each command before it runs it.
  EXPECT_NE(result.out.find("$ echo before"), std::string::npos) << result.describe();
  json outcome = summary();
  EXPECT_EQ(outcome["exit_code"], 0) << outcome.dump();
  EXPECT_EQ(outcome["infra_failure"], false) << outcome.dump();
  EXPECT_TRUE(outcome["phases"]["script"].is_number()) << outcome.dump();
  EXPECT_TRUE(outcome["phases"]["teardown"].is_number()) << outcome.dump();
}

TEST_F(ShimTest, FailingCommandStopsTheScriptWithItsCodeAndAfterScriptStillRuns) {
  write_ci(ci(marker_, R"yaml(
test:
  image: burrow-test/busybox:1
  script:
    - echo first
    - sh -c 'exit 3'
    - echo never-printed
  after_script:
    - echo after-ran
    - exit 9
)yaml"));
  CommandResult result = run_job("test");
  EXPECT_EQ(result.exit_code, 3) << result.describe();
  EXPECT_NE(result.out.find("first\n"), std::string::npos) << result.describe();
  EXPECT_EQ(result.out.find("never-printed"), std::string::npos) << result.describe();
  EXPECT_NE(result.out.find("after-ran\n"), std::string::npos) << result.describe();
  EXPECT_EQ(summary()["exit_code"], 3);
}

// 100 MB through the pod's pipes, the shim's stdout and the job log, without a byte lost; then
// stdout and stderr interleaved, each in order.
TEST_F(ShimTest, HundredMegabytesStreamWithoutLoss) {
  write_ci(ci(marker_, R"yaml(
test:
  image: burrow-test/busybox:1
  script:
    - head -c 100000000 /dev/zero | tr '\0' 'x' | fold -w 99; echo
    - i=0; while [ $i -lt 1000 ]; do echo out-$i; echo err-$i >&2; i=$((i+1)); done
)yaml"));
  CommandResult result = run_job("test", {}, 300s);
  ASSERT_EQ(result.exit_code, 0) << result.err.substr(0, 2000);
  // fold: 1010101 lines of 99 'x', then the last 'x' (and echo's newline).
  std::string line(99, 'x');
  line += '\n';
  std::string expected;
  expected.reserve(101010102);
  for (int i = 0; i < 1010101; ++i) expected += line;
  expected += "x\n";
  std::string interleaved_out, interleaved_err;
  for (int i = 0; i < 1000; ++i) {
    interleaved_out += "out-" + std::to_string(i) + "\n";
    interleaved_err += "err-" + std::to_string(i) + "\n";
  }
  EXPECT_NE(result.out.find(expected), std::string::npos) << "stdout lost or changed bytes";
  EXPECT_NE(result.out.find(interleaved_out), std::string::npos);
  EXPECT_NE(result.err.find(interleaved_err), std::string::npos);
  std::string logged = log_stream("stdout");
  EXPECT_NE(logged.find(expected), std::string::npos) << "the job log lost or changed bytes";
  EXPECT_NE(log_stream("stderr").find(interleaved_err), std::string::npos);
}

// A reader of the shim's stdout that goes away early neither hangs the job nor costs its log.
TEST_F(ShimTest, EarlyClosedStdoutNeitherHangsNorLosesTheLog) {
  write_ci(ci(marker_, R"yaml(
test:
  image: burrow-test/busybox:1
  script:
    - seq 1 200000
    - echo finished
)yaml"));
  std::string argv_line;
  for (const auto& arg : run_argv("test")) argv_line += "'" + arg + "' ";
  CommandResult result = run_command({"/bin/bash", "-c",
                                      "set -o pipefail; " + argv_line +
                                          "| head -c 100 >/dev/null; "
                                          "echo shim-exit=${PIPESTATUS[0]}"},
                                     work_, 120s);
  EXPECT_FALSE(result.timed_out) << result.describe();
  EXPECT_NE(result.out.find("shim-exit=0"), std::string::npos) << result.describe();
  std::string logged = log_stream("stdout");
  EXPECT_NE(logged.find("\n200000\n"), std::string::npos);
  EXPECT_NE(logged.find("finished\n"), std::string::npos);
}

TEST_F(ShimTest, ServiceIsReachableByItsAlias) {
  write_ci(ci(marker_, R"yaml(
test:
  image: burrow-test/busybox:1
  services:
    - name: burrow-test/web:1
      alias: web
  script:
    - wget -qO- http://web/
    - wget -qO- http://burrow-test__web/
)yaml"));
  CommandResult result = run_job("test");
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  size_t first = result.out.find("$ wget -qO- http://web/");
  size_t second = result.out.find("$ wget -qO- http://burrow-test__web/");
  ASSERT_NE(second, std::string::npos) << result.describe();
  EXPECT_NE(result.out.substr(first, second - first).find("\nhello-from-web\n"), std::string::npos)
      << result.describe();
  EXPECT_NE(result.out.substr(second).find("\nhello-from-web\n"), std::string::npos)
      << result.describe();
  EXPECT_TRUE(summary()["phases"]["services_ready"].is_number());
}

TEST_F(ShimTest, ServiceThatNeverListensIsAWarningWithItsLog) {
  write_ci(ci(marker_, R"yaml(
test:
  image: burrow-test/busybox:1
  services:
    - burrow-test/silent:1
  script:
    - echo ran-anyway
)yaml"));
  CommandResult result = run_job("test", {"--service-wait", "2"});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.err.find("*** WARNING: Service burrow-test/silent:1 probably didn't start "
                            "properly."),
            std::string::npos)
      << result.describe();
  EXPECT_NE(result.err.find("silent-started"), std::string::npos) << result.describe();
  EXPECT_NE(result.out.find("ran-anyway"), std::string::npos) << result.describe();
}

TEST_F(ShimTest, ServiceThatNeverListensFailsTheJobWhenFatal) {
  write_ci(ci(marker_, R"yaml(
test:
  image: burrow-test/busybox:1
  services:
    - burrow-test/silent:1
  script:
    - echo never-ran
)yaml"));
  CommandResult result = run_job("test", {"--service-wait", "2", "--service-wait-fatal"});
  EXPECT_EQ(result.exit_code, 242) << result.describe();
  EXPECT_EQ(result.out.find("never-ran"), std::string::npos) << result.describe();
  json outcome = summary();
  EXPECT_EQ(outcome["infra_failure"], true) << outcome.dump();
  EXPECT_EQ(outcome["infra_kind"], "service") << outcome.dump();
}

// The job's shell ignores SIGTERM (an entrypoint that sets the trap, then execs the shell), so
// the timeout takes the whole path: SIGTERM, the grace period, SIGKILL.
TEST_F(ShimTest, TimeoutEndsTheJobWithinGracePlusTwoSeconds) {
  write_ci(ci(marker_, R"yaml(
test:
  image:
    name: burrow-test/busybox:1
    entrypoint: ["/bin/sh", "-c", "trap '' TERM; exec \"$@\"", "entrypoint"]
  timeout: 3 seconds
  script:
    - echo started; sleep 100; echo survived
)yaml"));
  CommandResult result = run_job("test", {"--grace", "2"});
  EXPECT_EQ(result.exit_code, 243) << result.describe();
  EXPECT_NE(result.out.find("started"), std::string::npos) << result.describe();
  EXPECT_EQ(result.out.find("\nsurvived\n"), std::string::npos) << result.describe();
  EXPECT_NE(result.err.find("ERROR: Job failed: execution took longer than 3 seconds"),
            std::string::npos)
      << result.describe();
  json outcome = summary();
  EXPECT_EQ(outcome["timed_out"], true) << outcome.dump();
  // 3 s of job, then 2 s of grace after the ignored SIGTERM, then SIGKILL: within 3 + 2 + 2 s.
  double script = outcome["phases"]["script"].get<double>();
  EXPECT_GE(script, 3 + 2 - 0.5) << "SIGKILL came before the grace period ended";
  EXPECT_LT(script, 3 + 2 + 2.0);
}

TEST_F(ShimTest, SigtermToTheShimCancelsWithinGracePlusTwoSeconds) {
  write_ci(ci(marker_, R"yaml(
test:
  image: burrow-test/busybox:1
  script:
    - echo started; sleep 100
)yaml"));
  auto shim = start_job("test", {"--grace", "3"});
  ASSERT_TRUE(shim->wait_for_output("started", 60s));
  auto signalled = std::chrono::steady_clock::now();
  shim->send_signal(SIGTERM);
  CommandResult result = shim->wait(60s);
  auto took = std::chrono::steady_clock::now() - signalled;
  EXPECT_EQ(result.exit_code, 244) << result.describe();
  EXPECT_EQ(summary()["cancelled"], true);
  // sleep dies of the SIGTERM; the teardown after it is the rest.
  EXPECT_LT(took, 3s + 2s + 10s) << "cancel took too long";
}

// A shim killed with SIGKILL takes its pod with it (nothing of the job runs 2 s later), and
// `burrow-shim cleanup` removes what is left: state, mounts, cgroups, the job dir.
TEST_F(ShimTest, SigkillOfTheShimLeavesNothingAfterCleanup) {
  write_ci(ci(marker_, R"yaml(
test:
  image: burrow-test/busybox:1
  services:
    - name: burrow-test/web:1
      alias: web
  script:
    - echo started; sleep 1000
)yaml"));
  auto shim = start_job("test");
  ASSERT_TRUE(shim->wait_for_output("started", 60s));
  ASSERT_FALSE(processes_with_marker(marker_).empty());
  shim->send_signal(SIGKILL);
  shim->wait(10s);
  std::this_thread::sleep_for(2s);
  EXPECT_TRUE(processes_with_marker(marker_).empty())
      << "the job's processes outlived the shim by 2 s";
  CommandResult cleanup =
      run_command({shim_binary(), "cleanup", "--scratch", scratch_}, work_, 60s);
  EXPECT_EQ(cleanup.exit_code, 0) << cleanup.describe();
  EXPECT_NE(cleanup.out.find("removed "), std::string::npos) << cleanup.describe();
  // TearDown checks for leftovers: job dir, mounts, processes, cgroups.
}

// A job that rewrites / changes nothing in the image store: copy-on-write only.
TEST_F(ShimTest, ImageStoreIsUnchangedByAJobThatRewritesItsRoot) {
  auto store_digest = [&] {
    return run_command(
               as_job_owner(
                   {"/bin/sh", "-c",
                    "cd '" + images_ +
                        "' && find . -path ./tmp -prune -o -path ./locks -prune -o -print0 "
                        "| sort -z | xargs -0 stat -c '%n %a %u %g %s %Y' | sha256sum; "
                        "find layers -type f -print0 | sort -z | xargs -0 cat | sha256sum"}),
               work_, 120s)
        .out;
  };
  write_ci(ci(marker_, R"yaml(
test:
  image: burrow-test/busybox:1
  script:
    - echo changed >/etc/passwd
    - rm -f /bin/vi
    - chmod 700 /etc
    - echo new >/new-file
)yaml"));
  std::set<std::string> layers_before;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(images_ + "/layers", ec))
    layers_before.insert(entry.path().filename().string());
  // A first run unpacks the layers (the cache may grow then).
  CommandResult first = run_job("test");
  ASSERT_EQ(first.exit_code, 0) << first.describe();
  std::string before = store_digest();
  CommandResult second = run_job("test");
  ASSERT_EQ(second.exit_code, 0) << second.describe();
  EXPECT_EQ(store_digest(), before);
  // As root the layers are unpacked once with the image's own ids and each job sees them
  // through idmapped mounts for its range: the jobs made no copy for a range (no key other than
  // "<hex>-0-0-0" appeared; a store shared with older builds may hold others already).
  if (!rootless_) {
    for (const auto& entry : std::filesystem::directory_iterator(images_ + "/layers")) {
      std::string key = entry.path().filename().string();
      if (layers_before.count(key)) continue;
      EXPECT_TRUE(key.size() > 6 && key.substr(key.size() - 6) == "-0-0-0") << key;
    }
  }
}

TEST_F(ShimTest, TenJobsAtOnceAllCorrectNothingLeft) {
  write_ci(ci(marker_, R"yaml(
test:
  image: burrow-test/busybox:1
  script:
    - echo "job $CI_JOB_ID says $((6 * 7))"
)yaml"));
  std::vector<std::unique_ptr<Command>> shims;
  for (int i = 1; i <= 10; ++i) {
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, "%03d", i);
    shims.push_back(std::make_unique<Command>(
        [&] {
          auto argv = run_argv("test", {}, suffix);
          // Each job its own log and summary.
          for (auto& arg : argv) {
            if (arg == work_ + "/job.log") arg = work_ + "/job" + suffix + ".log";
            if (arg == work_ + "/summary.json") arg = work_ + "/summary" + suffix + ".json";
          }
          return argv;
        }(),
        work_ + "/shim" + suffix + ".out", work_ + "/shim" + suffix + ".err"));
  }
  for (int i = 1; i <= 10; ++i) {
    CommandResult result = shims[i - 1]->wait(180s);
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, "%03d", i);
    EXPECT_EQ(result.exit_code, 0) << "job " << i << ": " << result.describe();
    EXPECT_NE(result.out.find("job " + job_id_ + suffix + " says 42\n"), std::string::npos)
        << "job " << i << ": " << result.describe();
  }
}

// Root's id ranges are one registry for the host: two jobs running at once (each waits, in a
// shared workspace, until the other is there) with different scratch roots get different ranges.
TEST_F(ShimTest, ConcurrentJobsWithDifferentScratchRootsGetDifferentIdRanges) {
  if (rootless_) GTEST_SKIP() << "a rootless job maps its user's own subordinate ids";
  write_ci(ci(marker_, R"yaml(
test:
  image: burrow-test/busybox:1
  timeout: 60 seconds
  script:
    - set -- $(cat /proc/self/uid_map); echo "range $2"
    - touch $CI_JOB_ID.here; until [ $(ls *.here | wc -l) -ge 2 ]; do sleep 0.05; done
)yaml"));
  const std::string workspace = work_ + "/workspace";
  std::filesystem::create_directories(workspace);
  std::vector<std::unique_ptr<Command>> shims;
  for (const char* suffix : {"001", "002"}) {
    auto argv = run_argv("test", {"--workspace", workspace}, suffix);
    for (auto& arg : argv) {
      if (arg == work_ + "/job.log") arg = work_ + "/job" + suffix + ".log";
      if (arg == work_ + "/summary.json") arg = work_ + "/summary" + suffix + ".json";
      if (arg == scratch_ && std::string(suffix) == "002") arg = work_ + "/other-scratch";
    }
    shims.push_back(std::make_unique<Command>(argv, work_ + "/shim" + suffix + ".out",
                                              work_ + "/shim" + suffix + ".err"));
  }
  std::set<std::string> ranges;
  for (auto& shim : shims) {
    CommandResult result = shim->wait(120s);
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    size_t at = result.out.find("\nrange ");
    ASSERT_NE(at, std::string::npos) << result.describe();
    ranges.insert(result.out.substr(at + 7, result.out.find('\n', at + 1) - at - 7));
  }
  EXPECT_EQ(ranges.size(), 2u) << "both jobs mapped the same host ids: " << *ranges.begin();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(work_ + "/other-scratch", ec)) {
    EXPECT_EQ(entry.path().filename(), ".id-slots") << "left behind: " << entry.path();
  }
}

// --workspace binds a host checkout at CI_PROJECT_DIR with its owners kept (the pod's ids map
// onto it: a file of host uid 1000 is uid 1000 inside, what container root writes is the host's
// root's); --volume adds binds, read-only when asked.
TEST_F(ShimTest, WorkspaceKeepsOwnersAndVolumesBind) {
  std::string workspace = work_ + "/checkout";
  std::string volume = work_ + "/volume";
  std::filesystem::create_directories(workspace);
  std::filesystem::create_directories(volume);
  write_text(workspace + "/readme", "from-the-checkout\n");
  // As root: a file of host uid 1000 stays uid 1000 inside. Rootless: the caller's own files are
  // root's inside (its user namespace maps the caller to 0).
  const std::string owner = rootless_ ? " 0        0 " : " 1000     1000 ";
  if (!rootless_) {
    ASSERT_EQ(::chown((workspace + "/readme").c_str(), 1000, 1000), 0);
  }
  write_text(volume + "/data", "from-the-volume\n");
  write_ci(ci(marker_, R"yaml(
test:
  image: burrow-test/busybox:1
  script:
    - echo "in $CI_PROJECT_DIR"; ls -ln readme; cat readme
    - echo made-by-the-job >made
    - cat /volume/data
    - if echo x >/volume/new; then echo volume-writable; else echo volume-read-only; fi
)yaml"));
  CommandResult result =
      run_job("test", {"--workspace", workspace, "--volume", volume + ":/volume:ro"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.out.find("in /builds/checkout\n"), std::string::npos) << result.describe();
  EXPECT_NE(result.out.find(owner), std::string::npos) << result.describe();
  EXPECT_NE(result.out.find("from-the-checkout\n"), std::string::npos) << result.describe();
  EXPECT_NE(result.out.find("from-the-volume\n"), std::string::npos) << result.describe();
  EXPECT_NE(result.out.find("volume-read-only\n"), std::string::npos) << result.describe();
  struct stat made {};
  ASSERT_EQ(::stat((workspace + "/made").c_str(), &made), 0)
      << "the job's file is not in the checkout";
  EXPECT_EQ(made.st_uid, ::getuid()) << "container root's file belongs to the checkout's owner";
  EXPECT_EQ(read_text(workspace + "/made"), "made-by-the-job\n");
}

// --memory limits the job's containers (no swap); a job that outgrows it is OOM-killed, exits
// 137 as under docker, and the summary says oom_killed.
TEST_F(ShimTest, MemoryLimitOomKillIsReported) {
  write_ci(ci(marker_, R"yaml(
test:
  image: burrow-test/busybox:1
  script:
    - x=$(head -c 200000000 /dev/zero | tr '\0' a); echo survived
)yaml"));
  CommandResult result = run_job("test", {"--memory", "32m"});
  if (rootless_) {
    // No cgroup of its own: refused before anything is made.
    EXPECT_EQ(result.exit_code, 2) << result.describe();
    EXPECT_NE(result.err.find("burrow-shim: --memory: a rootless job has no cgroup of its own to "
                              "limit (run as root)"),
              std::string::npos)
        << result.describe();
    return;
  }
  EXPECT_EQ(result.exit_code, 137) << result.describe();
  EXPECT_EQ(result.out.find("\nsurvived\n"), std::string::npos) << result.describe();
  json outcome = summary();
  EXPECT_EQ(outcome["oom_killed"], true) << outcome.dump();
  EXPECT_EQ(outcome["exit_code"], 137) << outcome.dump();
}

}  // namespace
}  // namespace integration::shim
