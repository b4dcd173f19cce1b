// burrow-shim gitlab config|prepare|run|cleanup: GitLab Runner's custom executor driven exactly
// as the runner drives it (executors/custom), since the runner binary is not packaged here. A
// small stand-in runner (FakeRunner below) does what the runner does for one job: makes a temp
// dir, runs config_exec and reads its JSON, runs prepare_exec, then run_exec once per stage in
// the runner's order (prepare_script, get_sources, restore_cache, download_artifacts,
// build_script, after_script, archive_cache[_on_failure],
// upload_artifacts_on_success|on_failure, cleanup_file_variables), each with a script file
// written to a fresh dir under its temp dir, and cleanup_exec at the end whatever happened.
// Every call gets the runner's environment: CUSTOM_ENV_<KEY> for each job variable,
// CUSTOM_ENV_CI_JOB_SERVICES, BUILD_FAILURE_EXIT_CODE=1, SYSTEM_FAILURE_EXIT_CODE=2,
// BUILD_EXIT_CODE_FILE, JOB_RESPONSE_FILE and TMPDIR, with config.toml's *_args before the
// runner's own arguments. The scripts are bash scripts shaped as the runner's bash shell writer
// shapes them (shebang, TERM trap, errexit/pipefail, the exports of the job's variables, then
// the stage's commands inside one eval), simplified to what these jobs need.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <thread>

#include "harness/leftovers.hpp"
#include "shim/shim_fixture.hpp"

namespace integration::shim {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

constexpr int kBuildFailure = 1;   // what the runner hands over as BUILD_FAILURE_EXIT_CODE
constexpr int kSystemFailure = 2;  // SYSTEM_FAILURE_EXIT_CODE

// Single quotes for the shell, as the shim's own renderer uses.
std::string quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// One job, as .gitlab-ci.yml would give it.
struct JobSpec {
  std::string name = "test";
  std::string image = kBusybox;
  json services = json::array();                               // CI_JOB_SERVICES entries
  std::vector<std::pair<std::string, std::string>> variables;  // expanded, in order
  std::vector<std::string> before_script;
  std::vector<std::string> script;
  std::vector<std::string> after_script;
};

// What one call of the driver did.
struct Call {
  std::string stage;  // config, prepare, a run stage, cleanup
  CommandResult result;
};

class ShimGitlabTest : public ShimTest {
 protected:
  void SetUp() override {
    ShimTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (rootless_) GTEST_SKIP() << "the custom executor driver runs as root (the runner's user)";
  }

  void TearDown() override {
    // A test that stopped halfway still has its pod: the runner's cleanup, then the checks.
    if (prepared_ && HasFailure()) driver(*prepared_, "cleanup");
    ShimTest::TearDown();
  }

  // config.toml's *_args: the shim's options, the same for every stage.
  std::vector<std::string> driver_args() const {
    return {"--images", images_, "--scratch", scratch_, "--network", "none", "--grace", "2"};
  }

  // The runner's environment for a driver call of `job`.
  std::map<std::string, std::string> runner_env(const JobSpec& job) const {
    std::map<std::string, std::string> env = {
        {"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"},
        {"BURROW_TEST_ID", marker_},  // the runner's own environment passes on too
        {"BUILD_FAILURE_EXIT_CODE", std::to_string(kBuildFailure)},
        {"SYSTEM_FAILURE_EXIT_CODE", std::to_string(kSystemFailure)},
        {"BUILD_EXIT_CODE_FILE", runner_tmp_ + "/build_exit_code"},
        {"JOB_RESPONSE_FILE", runner_tmp_ + "/response.json"},
        {"TMPDIR", runner_tmp_},
    };
    for (const auto& [key, value] : job_variables(job)) env["CUSTOM_ENV_" + key] = value;
    env["CUSTOM_ENV_CI_JOB_SERVICES"] = job.services.empty() ? "" : job.services.dump();
    return env;
  }

  // Predefined variables (as GitLab sends them), then the job's own.
  std::vector<std::pair<std::string, std::string>> job_variables(const JobSpec& job) const {
    std::vector<std::pair<std::string, std::string>> out = {
        {"CI", "true"},
        {"GITLAB_CI", "true"},
        {"CI_SERVER_URL", "https://gitlab.example.com"},
        {"CI_JOB_ID", job_id_ + "000"},
        {"CI_JOB_NAME", job.name},
        {"CI_JOB_STAGE", "test"},
        {"CI_JOB_IMAGE", job.image},
        {"CI_JOB_TIMEOUT", "3600"},
        {"CI_PROJECT_NAME", "project"},
        {"CI_PROJECT_PATH", "group/project"},
        {"CI_RUNNER_ID", "7"},
        {"CI_BUILDS_DIR", builds_dir_},
        {"CI_PROJECT_DIR", builds_dir_ + "/group/project"},
        {"BURROW_TEST_ID", marker_},
    };
    out.insert(out.end(), job.variables.begin(), job.variables.end());
    return out;
  }

  // The script the runner writes for `stage` (its bash writer's shape).
  std::string stage_script(const JobSpec& job, const std::string& stage) const {
    std::string body;
    for (const auto& [key, value] : job_variables(job))
      body += "export " + key + "=" + quote(value) + "\n";
    auto commands = [&](const std::vector<std::string>& list) {
      body += "cd " + quote(builds_dir_ + "/group/project") + "\n";
      for (const auto& command : list) {
        body += "printf '\\033[32;1m%s\\033[0;m\\n' " + quote("$ " + command) + "\n";
        body += command + "\n";
      }
    };
    if (stage == "prepare_script") {
      body += "echo \"Running on $(hostname)...\"\n";
    } else if (stage == "get_sources") {
      // A checkout, as git would leave it: in the workspace the job container sees.
      body += "mkdir -p \"$CI_PROJECT_DIR\"\necho \"Fetching changes...\"\n";
      body += "echo checked-out >\"$CI_PROJECT_DIR/README\"\n";
      body += "test ! -e /tmp/job-was-here && echo get_sources-in-helper\n";
    } else if (stage == "restore_cache") {
      body += "mkdir -p " + quote(cache_dir_) + "\necho restore_cache-ran\n";
    } else if (stage == "download_artifacts") {
      body += "echo download_artifacts-ran\n";
    } else if (stage == "build_script") {
      body += "touch /tmp/job-was-here\n";
      std::vector<std::string> all = job.before_script;
      all.insert(all.end(), job.script.begin(), job.script.end());
      commands(all);
    } else if (stage == "after_script") {
      commands(job.after_script);
    } else if (stage.rfind("archive_cache", 0) == 0) {
      body += "test ! -e /tmp/job-was-here && echo " + stage + "-in-helper\n";
      body += "date >" + quote(cache_dir_) + "/cache.stamp\n";
    } else if (stage.rfind("upload_artifacts", 0) == 0) {
      body += "echo " + stage + "-ran\n";
    } else if (stage == "cleanup_file_variables") {
      body += "echo cleanup_file_variables-ran\n";
    }
    return "#!/usr/bin/env bash\n\ntrap 'exit 1' TERM\n\n"
           "case \"$(set -o)\" in *\"pipefail\"*) set -o pipefail;; esac; set -o errexit\n"
           "set +o noclobber\n"
           "(trap 'exit 1' TERM; eval " +
           quote(body) + ") < /dev/null\nexit 0\n";
  }

  std::vector<std::string> driver_argv(const JobSpec& job, const std::string& stage,
                                       const std::vector<std::string>& operands = {}) const {
    std::vector<std::string> argv = {"/usr/bin/env", "-i"};
    for (const auto& [key, value] : runner_env(job)) argv.push_back(key + "=" + value);
    argv.insert(argv.end(), {shim_binary(), "gitlab", stage});
    for (const auto& arg : driver_args()) argv.push_back(arg);
    argv.insert(argv.end(), operands.begin(), operands.end());
    return argv;
  }

  CommandResult driver(const JobSpec& job, const std::string& stage,
                       const std::vector<std::string>& operands = {}) {
    if (stage == "prepare") prepared_ = job;
    return run_command(driver_argv(job, stage, operands), runner_tmp_, 180s);
  }

  // The runner's temp dir for the job (os.MkdirTemp("", "custom-executor")).
  void make_runner_tmp() {
    runner_tmp_ = work_ + "/custom-executor" + std::to_string(++jobs_);
    fs::create_directories(runner_tmp_);
    write_text(runner_tmp_ + "/response.json", "{}\n");
  }

  // Writes the stage's script as the runner does: <tmp>/script<N>/script, mode 0700.
  std::string write_script(const JobSpec& job, const std::string& stage) {
    std::string dir = runner_tmp_ + "/script" + std::to_string(++scripts_);
    fs::create_directories(dir);
    std::string path = dir + "/script";
    write_text(path, stage_script(job, stage));
    ::chmod(path.c_str(), 0700);
    return path;
  }

  CommandResult run_stage(const JobSpec& job, const std::string& stage) {
    return driver(job, "run", {write_script(job, stage), stage});
  }

  // The whole job as the runner runs it; every call's outcome in order.
  std::vector<Call> run_job_as_runner(const JobSpec& job) {
    std::vector<Call> calls;
    make_runner_tmp();
    calls.push_back({"config", driver(job, "config")});
    auto config = json::parse(calls.back().result.out, nullptr, false);
    EXPECT_TRUE(config.is_object()) << calls.back().result.describe();
    if (config.is_object()) {
      builds_dir_ = config.value("builds_dir", "/builds");
      cache_dir_ = config.value("cache_dir", "/cache") + "/group/project";
    }
    calls.push_back({"prepare", driver(job, "prepare")});
    if (calls.back().result.exit_code == 0) {
      bool ok = true;
      for (const char* stage :
           {"prepare_script", "get_sources", "restore_cache", "download_artifacts"}) {
        calls.push_back({stage, run_stage(job, stage)});
        if (calls.back().result.exit_code != 0) {
          ok = false;
          break;
        }
      }
      if (ok) {
        calls.push_back({"build_script", run_stage(job, "build_script")});
        ok = calls.back().result.exit_code == 0;
        if (!job.after_script.empty())
          calls.push_back({"after_script", run_stage(job, "after_script")});
      }
      for (const std::string stage :
           {ok ? "archive_cache" : "archive_cache_on_failure",
            ok ? "upload_artifacts_on_success" : "upload_artifacts_on_failure",
            "cleanup_file_variables"})
        calls.push_back({stage, run_stage(job, stage)});
    }
    calls.push_back({"cleanup", driver(job, "cleanup")});
    return calls;
  }

  static const Call* find(const std::vector<Call>& calls, const std::string& stage) {
    for (const auto& call : calls) {
      if (call.stage == stage) return &call;
    }
    return nullptr;
  }

  // The job's `sleep` processes (they carry the job's marker, exported by the scripts).
  int sleeping() const {
    int count = 0;
    for (int pid : processes_with_marker(marker_)) {
      std::string comm = read_text("/proc/" + std::to_string(pid) + "/comm");
      if (comm == "sleep\n") ++count;
    }
    return count;
  }

  std::string build_exit_code() const {
    std::ifstream in(runner_tmp_ + "/build_exit_code");
    std::string code;
    std::getline(in, code);
    return code;
  }

  std::string runner_tmp_;
  std::string builds_dir_ = "/builds";
  std::string cache_dir_ = "/cache/group/project";
  int jobs_ = 0;
  int scripts_ = 0;
  std::optional<JobSpec> prepared_;  // the last job prepare was called for
};

TEST_F(ShimGitlabTest, ConfigPrintsTheRunnersJson) {
  JobSpec job;
  make_runner_tmp();
  CommandResult config = driver(job, "config");
  ASSERT_EQ(config.exit_code, 0) << config.describe();
  json out = json::parse(config.out);
  EXPECT_EQ(out["builds_dir"], "/builds");
  EXPECT_EQ(out["cache_dir"], "/cache");
  EXPECT_EQ(out["builds_dir_is_shared"], false);
  EXPECT_EQ(out["hostname"], "runner-burrow-job-" + job_id_ + "000");
  EXPECT_EQ(out["driver"]["name"], "burrow-shim");
  EXPECT_FALSE(out["driver"]["version"].get<std::string>().empty());
  EXPECT_TRUE(out["job_env"].is_object());
}

TEST_F(ShimGitlabTest, PassingJobRunsEveryStageInItsContainer) {
  JobSpec job;
  job.variables = {{"GREETING", "hello"}};
  job.before_script = {"echo before"};
  job.script = {"cat README", "echo \"$GREETING from $CI_JOB_NAME in $(pwd)\"", "hostname"};
  job.after_script = {"echo after-ran"};
  auto calls = run_job_as_runner(job);
  std::vector<std::string> order;
  for (const auto& call : calls) {
    order.push_back(call.stage);
    EXPECT_EQ(call.result.exit_code, 0) << call.stage << ": " << call.result.describe();
  }
  EXPECT_EQ(order, (std::vector<std::string>{
                       "config", "prepare", "prepare_script", "get_sources", "restore_cache",
                       "download_artifacts", "build_script", "after_script", "archive_cache",
                       "upload_artifacts_on_success", "cleanup_file_variables", "cleanup"}));
  std::string hostname = "runner-burrow-job-" + job_id_ + "000";
  EXPECT_EQ(find(calls, "prepare_script")->result.out, "Running on " + hostname + "...\n");
  EXPECT_EQ(find(calls, "get_sources")->result.out, "Fetching changes...\nget_sources-in-helper\n");
  EXPECT_EQ(find(calls, "build_script")->result.out,
            "\033[32;1m$ echo before\033[0;m\nbefore\n"
            "\033[32;1m$ cat README\033[0;m\nchecked-out\n"
            "\033[32;1m$ echo \"$GREETING from $CI_JOB_NAME in $(pwd)\"\033[0;m\n"
            "hello from test in /builds/group/project\n"
            "\033[32;1m$ hostname\033[0;m\n" +
                hostname + "\n");
  EXPECT_EQ(find(calls, "after_script")->result.out,
            "\033[32;1m$ echo after-ran\033[0;m\nafter-ran\n");
  EXPECT_EQ(find(calls, "archive_cache")->result.out, "archive_cache-in-helper\n");
  EXPECT_FALSE(fs::exists(runner_tmp_ + "/build_exit_code"));
}

TEST_F(ShimGitlabTest, FailingJobIsABuildFailureWithItsCode) {
  JobSpec job;
  job.script = {"echo failing", "exit 3", "echo never"};
  job.after_script = {"echo after-failure"};
  auto calls = run_job_as_runner(job);
  const Call* build = find(calls, "build_script");
  ASSERT_NE(build, nullptr);
  EXPECT_EQ(build->result.exit_code, kBuildFailure) << build->result.describe();
  EXPECT_EQ(build->result.out,
            "\033[32;1m$ echo failing\033[0;m\nfailing\n"
            "\033[32;1m$ exit 3\033[0;m\n");
  EXPECT_EQ(build_exit_code(), "3");
  // The runner goes on: after_script, the on-failure stages, cleanup.
  ASSERT_NE(find(calls, "after_script"), nullptr);
  EXPECT_EQ(find(calls, "after_script")->result.exit_code, 0);
  EXPECT_EQ(find(calls, "after_script")->result.out,
            "\033[32;1m$ echo after-failure\033[0;m\nafter-failure\n");
  ASSERT_NE(find(calls, "archive_cache_on_failure"), nullptr);
  EXPECT_EQ(find(calls, "archive_cache_on_failure")->result.out,
            "archive_cache_on_failure-in-helper\n");
  EXPECT_EQ(find(calls, "upload_artifacts_on_failure")->result.exit_code, 0);
  EXPECT_EQ(find(calls, "cleanup")->result.exit_code, 0)
      << find(calls, "cleanup")->result.describe();
}

TEST_F(ShimGitlabTest, MissingImageIsASystemFailure) {
  JobSpec job;
  job.image = "burrow-test/not-there:1";
  job.script = {"echo never"};
  auto calls = run_job_as_runner(job);
  const Call* prepare = find(calls, "prepare");
  ASSERT_NE(prepare, nullptr);
  EXPECT_EQ(prepare->result.exit_code, kSystemFailure) << prepare->result.describe();
  EXPECT_NE(prepare->result.out.find("burrow-test/not-there:1"), std::string::npos)
      << prepare->result.describe();
  EXPECT_NE(prepare->result.err.find("the job's pod could not be prepared (image failure)"),
            std::string::npos)
      << prepare->result.describe();
  EXPECT_EQ(find(calls, "build_script"), nullptr);
  EXPECT_EQ(find(calls, "cleanup")->result.exit_code, 0);
  // A run without a pod is a system failure too.
  CommandResult orphan = run_stage(job, "build_script");
  EXPECT_EQ(orphan.exit_code, kSystemFailure) << orphan.describe();
  EXPECT_NE(orphan.err.find("ERROR: burrow-shim: no pod for job " + job_id_ + "000-gitlab-"),
            std::string::npos)
      << orphan.describe();
}

TEST_F(ShimGitlabTest, ServiceByAlias) {
  JobSpec job;
  job.services = json::array(
      {{{"name", kWeb}, {"alias", "web-alias"}, {"entrypoint", nullptr}, {"command", nullptr}}});
  job.script = {"wget -q -O - http://web-alias/"};
  auto calls = run_job_as_runner(job);
  const Call* prepare = find(calls, "prepare");
  ASSERT_NE(prepare, nullptr);
  EXPECT_EQ(prepare->result.exit_code, 0) << prepare->result.describe();
  EXPECT_NE(prepare->result.out.find("Starting service " + kWeb), std::string::npos);
  EXPECT_NE(prepare->result.out.find("Waiting for services to be up and running"),
            std::string::npos);
  EXPECT_EQ(prepare->result.out.find("WARNING"), std::string::npos) << prepare->result.out;
  const Call* build = find(calls, "build_script");
  ASSERT_NE(build, nullptr);
  EXPECT_EQ(build->result.exit_code, 0) << build->result.describe();
  EXPECT_EQ(build->result.out,
            "\033[32;1m$ wget -q -O - http://web-alias/\033[0;m\nhello-from-web\n");
}

TEST_F(ShimGitlabTest, CancelledJobIsCleanedUp) {
  JobSpec job;
  job.script = {"echo started", "sleep 1000 & sleep 1000"};
  make_runner_tmp();
  ASSERT_EQ(driver(job, "config").exit_code, 0);
  CommandResult prepare = driver(job, "prepare");
  ASSERT_EQ(prepare.exit_code, 0) << prepare.describe();
  ASSERT_EQ(run_stage(job, "get_sources").exit_code, 0);
  std::string script = write_script(job, "build_script");
  Command run(driver_argv(job, "run", {script, "build_script"}), work_ + "/run.out",
              work_ + "/run.err");
  ASSERT_TRUE(run.wait_for_output("started", 60s)) << read_text(work_ + "/run.err");
  for (int waited = 0; sleeping() < 2 && waited < 100; ++waited) std::this_thread::sleep_for(50ms);
  ASSERT_EQ(sleeping(), 2) << "the stage's two sleeps";
  // The runner's cancel: SIGTERM to run_exec (and SIGKILL after graceful_kill_timeout).
  run.send_signal(SIGTERM);
  CommandResult cancelled = run.wait(60s);
  EXPECT_FALSE(cancelled.timed_out);
  EXPECT_EQ(cancelled.exit_code, kBuildFailure) << cancelled.describe();
  // The stage's processes (both sleeps, the background one too) ended with it; the pod stays
  // for after_script and the helper's stages until cleanup.
  EXPECT_EQ(sleeping(), 0);
  CommandResult after = run_stage(job, "upload_artifacts_on_failure");
  EXPECT_EQ(after.exit_code, 0) << after.describe();
  CommandResult cleanup = driver(job, "cleanup");
  EXPECT_EQ(cleanup.exit_code, 0) << cleanup.describe();
}

TEST_F(ShimGitlabTest, BackgroundProcessesEndWithTheirStage) {
  JobSpec job;
  job.script = {"sleep 1000 &", "echo done"};
  make_runner_tmp();
  ASSERT_EQ(driver(job, "prepare").exit_code, 0);
  ASSERT_EQ(run_stage(job, "get_sources").exit_code, 0);
  CommandResult build = run_stage(job, "build_script");
  EXPECT_EQ(build.exit_code, 0) << build.describe();
  EXPECT_EQ(build.out, "\033[32;1m$ sleep 1000 &\033[0;m\n\033[32;1m$ echo done\033[0;m\ndone\n");
  // It would hold the runner's output pipes open: it ended with its stage.
  EXPECT_EQ(sleeping(), 0);
  EXPECT_EQ(driver(job, "cleanup").exit_code, 0);
}

TEST_F(ShimGitlabTest, PrepareStoppedByTheRunnerLeavesNothing) {
  JobSpec job;
  // A service that never listens keeps prepare waiting (--service-wait 30).
  job.services = json::array({{{"name", kSilent}, {"alias", "silent"}}});
  make_runner_tmp();
  Command prepare(driver_argv(job, "prepare"), work_ + "/prepare.out", work_ + "/prepare.err");
  ASSERT_TRUE(prepare.wait_for_output("Waiting for services", 60s))
      << read_text(work_ + "/prepare.err");
  // The runner's prepare_exec_timeout: SIGTERM to prepare.
  prepare.send_signal(SIGTERM);
  CommandResult stopped = prepare.wait(20s);
  EXPECT_FALSE(stopped.timed_out);
  EXPECT_EQ(stopped.exit_code, kSystemFailure) << stopped.describe();
  EXPECT_NE(stopped.err.find("the job's pod could not be prepared (system failure)"),
            std::string::npos)
      << stopped.describe();
  // The holder tore its pod down before prepare returned.
  EXPECT_EQ(leftovers(), "");
  prepared_.reset();
  EXPECT_EQ(driver(job, "cleanup").exit_code, 0);
}

TEST_F(ShimGitlabTest, CleanupAfterTheHolderWasKilled) {
  JobSpec job;
  make_runner_tmp();
  ASSERT_EQ(driver(job, "prepare").exit_code, 0);
  // The pod's holder (owner.json of the job dir) dies by SIGKILL: its pod goes with it, and
  // cleanup removes the rest.
  std::string dir;
  for (const auto& entry : fs::directory_iterator(scratch_)) {
    if (entry.path().filename() != ".id-slots") dir = entry.path();
  }
  ASSERT_FALSE(dir.empty());
  json owner = json::parse(read_text(dir + "/owner.json"));
  ASSERT_EQ(::kill(owner["pid"].get<int>(), SIGKILL), 0);
  CommandResult run = run_stage(job, "build_script");
  EXPECT_EQ(run.exit_code, kSystemFailure) << run.describe();
  CommandResult cleanup = driver(job, "cleanup");
  EXPECT_EQ(cleanup.exit_code, 0) << cleanup.describe();
  EXPECT_FALSE(fs::exists(dir));
}

TEST_F(ShimGitlabTest, SameJobThroughGitlabCiPayloadAndCustomExecutor) {
  write_ci("variables:\n  BURROW_TEST_ID: " + marker_ + R"yaml(
  GREETING: hello
test:
  image: burrow-test/busybox:1
  variables:
    TARGET: world
    MESSAGE: "$GREETING ${TARGET}"
  before_script:
    - echo before
  script:
    - echo "$MESSAGE from $CI_JOB_NAME"
    - echo to-stderr >&2
    - exit 4
  after_script:
    - echo after-ran
)yaml");
  CommandResult from_file = run_job("test");
  EXPECT_EQ(from_file.exit_code, 4) << from_file.describe();

  std::vector<std::string> script = {"echo \"$MESSAGE from $CI_JOB_NAME\"", "echo to-stderr >&2",
                                     "exit 4"};
  json variables = json::array({{{"key", "BURROW_TEST_ID"}, {"value", marker_}, {"public", true}},
                                {{"key", "GREETING"}, {"value", "hello"}, {"public", true}},
                                {{"key", "TARGET"}, {"value", "world"}, {"public", true}},
                                {{"key", "MESSAGE"}, {"value", "hello world"}, {"public", true}}});
  std::vector<std::string> main_step = {"echo before"};
  main_step.insert(main_step.end(), script.begin(), script.end());
  json payload = {
      {"id", std::stoll(job_id_ + "000")},
      {"token", "not-a-real-token"},
      {"job_info",
       {{"name", "test"}, {"stage", "test"}, {"project_id", 1}, {"project_name", "project"}}},
      {"runner_info", {{"timeout", 3600}}},
      {"variables", variables},
      {"steps", json::array({{{"name", "script"},
                              {"script", main_step},
                              {"timeout", 3600},
                              {"when", "on_success"},
                              {"allow_failure", false}},
                             {{"name", "after_script"},
                              {"script", {"echo after-ran"}},
                              {"timeout", 3600},
                              {"when", "always"},
                              {"allow_failure", false}}})},
      {"image", {{"name", kBusybox}}},
      {"services", json::array()}};
  write_text(work_ + "/payload.json", payload.dump(2));
  std::vector<std::string> argv = run_argv("unused");
  auto at = std::find(argv.begin(), argv.end(), "--gitlab-ci");
  at = argv.erase(at, at + 3);
  argv.insert(at, {"--job-payload", work_ + "/payload.json"});
  CommandResult from_payload = run_command(argv, work_, 120s);
  EXPECT_EQ(from_payload.exit_code, 4) << from_payload.describe();
  EXPECT_EQ(from_payload.out, from_file.out);

  JobSpec job;
  job.variables = {{"GREETING", "hello"}, {"TARGET", "world"}, {"MESSAGE", "hello world"}};
  job.before_script = {"echo before"};
  job.script = script;
  job.after_script = {"echo after-ran"};
  auto calls = run_job_as_runner(job);
  const Call* build = find(calls, "build_script");
  const Call* after = find(calls, "after_script");
  ASSERT_NE(build, nullptr);
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(build->result.exit_code, kBuildFailure) << build->result.describe();
  EXPECT_EQ(build_exit_code(), "4");
  EXPECT_EQ(build->result.out + after->result.out, from_file.out);
  EXPECT_NE(build->result.err.find("to-stderr"), std::string::npos);
  EXPECT_EQ(find(calls, "cleanup")->result.exit_code, 0);
}

TEST_F(ShimGitlabTest, BadCallsAreSystemFailuresNamingTheProblem) {
  JobSpec job;
  make_runner_tmp();
  std::string script = write_script(job, "build_script");
  struct Case {
    std::vector<std::string> argv;
    std::string message;
  };
  std::vector<Case> cases = {
      {driver_argv(job, "run", {script, "resolve_secrets"}),
       "ERROR: burrow-shim: unknown stage 'resolve_secrets' (not one of GitLab Runner's custom "
       "executor stages)\n"},
      {driver_argv(job, "run", {script}), "ERROR: burrow-shim gitlab: run: takes SCRIPT STAGE\n"},
      {driver_argv(job, "prepare", {"extra"}),
       "ERROR: burrow-shim gitlab: prepare: takes no operands\n"},
      {driver_argv(job, "prepare", {"--memory", "lots"}), "ERROR: burrow-shim gitlab: --memory: "},
      {driver_argv(job, "build"), "ERROR: burrow-shim gitlab: unknown stage 'build'\n"},
  };
  // Without the runner's job variables.
  std::vector<std::string> bare = {"/usr/bin/env",
                                   "-i",
                                   "BURROW_TEST_ID=" + marker_,
                                   "SYSTEM_FAILURE_EXIT_CODE=2",
                                   shim_binary(),
                                   "gitlab",
                                   "prepare"};
  for (const auto& arg : driver_args()) bare.push_back(arg);
  cases.push_back({bare,
                   "ERROR: burrow-shim: CUSTOM_ENV_CI_JOB_ID: not set (is this GitLab Runner's "
                   "custom executor?)\n"});
  for (const auto& c : cases) {
    CommandResult result = run_command(c.argv, runner_tmp_, 60s);
    EXPECT_EQ(result.exit_code, kSystemFailure) << result.describe();
    EXPECT_EQ(result.err.substr(0, c.message.size()), c.message) << result.describe();
    EXPECT_EQ(result.out, "");
  }
}

// As the unprivileged test user (the rootless tier): the driver says it needs root.
class ShimGitlabRootlessTest : public ShimGitlabTest {
 protected:
  void SetUp() override {
    ShimTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (!rootless_) GTEST_SKIP() << "runs in the rootless tier (as root the driver works)";
  }
};

TEST_F(ShimGitlabRootlessTest, NonRootCallerIsRefused) {
  JobSpec job;
  make_runner_tmp();
  for (const char* stage : {"prepare", "cleanup"}) {
    CommandResult result = driver(job, stage);
    EXPECT_EQ(result.exit_code, kSystemFailure) << result.describe();
    EXPECT_EQ(result.err, std::string("ERROR: burrow-shim gitlab: ") + stage +
                              ": the custom executor driver runs as root (rootless jobs: "
                              "burrow-shim run)\n");
  }
  prepared_.reset();
}

}  // namespace
}  // namespace integration::shim
