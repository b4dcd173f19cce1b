// burrow-shim run --job-payload FILE, end to end: GitLab Runner's job payload (JSON) runs like the
// same job from .gitlab-ci.yml; masked variables show as [MASKED] on the shim's output and in the
// job log; file variables are files in the job; bad payloads are usage errors that leave nothing.
#include <unistd.h>

#include <algorithm>

#include "shim/shim_fixture.hpp"

namespace integration::shim {
namespace {

using nlohmann::json;

class ShimPayloadTest : public ShimTest {
 protected:
  // `burrow-shim run --job-payload <work>/payload.json` with the fixture's other options.
  CommandResult run_payload(const json& payload) {
    write_text(work_ + "/payload.json", payload.dump(2));
    std::vector<std::string> argv = run_argv("unused");
    auto at = std::find(argv.begin(), argv.end(), "--gitlab-ci");
    at = argv.erase(at, at + 3);  // --gitlab-ci FILE JOB
    argv.insert(at, {"--job-payload", work_ + "/payload.json"});
    return run_command(argv, work_, std::chrono::seconds(120));
  }

  // A payload as GitLab sends it for job `name`: the marker variable first, then `variables`.
  json payload(const std::string& name, const json& variables, const json& steps) const {
    json all = json::array({{{"key", "BURROW_TEST_ID"}, {"value", marker_}, {"public", true}}});
    for (const auto& v : variables) all.push_back(v);
    return {{"id", std::stoll(job_id_ + "000")},
            {"token", "not-a-real-token"},
            {"job_info",
             {{"name", name}, {"stage", "test"}, {"project_id", 1}, {"project_name", "project"}}},
            {"runner_info", {{"timeout", 3600}}},
            {"variables", all},
            {"steps", steps},
            {"image", {{"name", kBusybox}}},
            {"services", json::array()}};
  }
};

json step(const std::string& name, const std::vector<std::string>& script,
          const std::string& when = "on_success") {
  return {{"name", name},
          {"script", script},
          {"timeout", 3600},
          {"when", when},
          {"allow_failure", false}};
}

TEST_F(ShimPayloadTest, SameJobSameOutputAndCodeThroughEitherForm) {
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
    - echo "$MESSAGE from $CI_JOB_NAME in $(pwd) as $CI_JOB_ID"
    - echo to-stderr >&2
    - exit 4
  after_script:
    - echo after-ran
)yaml");
  CommandResult from_file = run_job("test");
  EXPECT_EQ(from_file.exit_code, 4) << from_file.describe();
  json vars = json::parse(R"([{"key": "GREETING", "value": "hello", "public": true},
                              {"key": "TARGET", "value": "world", "public": true},
                              {"key": "MESSAGE", "value": "hello world", "public": true}])");
  json steps = json::array(
      {step("script", {"echo before", "echo \"$MESSAGE from $CI_JOB_NAME in $(pwd) as $CI_JOB_ID\"",
                       "echo to-stderr >&2", "exit 4"}),
       step("after_script", {"echo after-ran"}, "always")});
  CommandResult from_payload = run_payload(payload("test", vars, steps));
  EXPECT_EQ(from_payload.exit_code, 4) << from_payload.describe();
  EXPECT_EQ(from_payload.out, from_file.out);
  EXPECT_NE(
      from_payload.out.find("hello world from test in /builds/project as " + job_id_ + "000\n"),
      std::string::npos)
      << from_payload.describe();
  EXPECT_NE(from_payload.out.find("after-ran\n"), std::string::npos) << from_payload.describe();
  EXPECT_EQ(summary()["exit_code"], 4);
}

TEST_F(ShimPayloadTest, MaskedVariableIsMaskedOnStdoutStderrAndInTheLog) {
  json vars = json::parse(R"([
    {"key": "SECRET", "value": "s3cr3t-v4lue-xyz", "masked": true},
    {"key": "SHORT", "value": "1234567", "masked": true}
  ])");
  json steps = json::array({step(
      "script", {"echo \"value=$SECRET\"", "echo \"err=$SECRET\" >&2", "echo \"short=$SHORT\""})});
  CommandResult result = run_payload(payload("masked", vars, steps));
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.out.find("value=[MASKED]\n"), std::string::npos) << result.describe();
  EXPECT_NE(result.err.find("err=[MASKED]\n"), std::string::npos) << result.describe();
  EXPECT_EQ(result.out.find("s3cr3t-v4lue-xyz"), std::string::npos) << result.describe();
  EXPECT_EQ(result.err.find("s3cr3t-v4lue-xyz"), std::string::npos) << result.describe();
  // GitLab does not mask values under 8 characters.
  EXPECT_NE(result.out.find("short=1234567\n"), std::string::npos) << result.describe();
  std::string log = log_stream("stdout") + log_stream("stderr");
  EXPECT_NE(log.find("value=[MASKED]"), std::string::npos) << log;
  EXPECT_EQ(log.find("s3cr3t-v4lue-xyz"), std::string::npos) << log;
}

TEST_F(ShimPayloadTest, FileVariableIsAReadOnlyFileHoldingTheValue) {
  json vars = json::parse(R"([{"key": "CONF", "value": "line one\nline two\n", "file": true}])");
  json steps = json::array({step(
      "script",
      {"echo \"path=$CONF\"", "cat \"$CONF\"",
       "if (echo x >> \"$CONF\") 2>/dev/null; then echo writable; else echo read-only; fi"})});
  CommandResult result = run_payload(payload("files", vars, steps));
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.out.find("path=/builds/project.tmp/CONF\n"), std::string::npos)
      << result.describe();
  EXPECT_NE(result.out.find("line one\nline two\n"), std::string::npos) << result.describe();
  EXPECT_NE(result.out.find("read-only\n"), std::string::npos) << result.describe();
}

TEST_F(ShimPayloadTest, FailingScriptExitsWithTheJobsCode) {
  json steps = json::array({step("script", {"echo first", "sh -c 'exit 3'", "echo never"}),
                            step("after_script", {"echo after-ran"}, "always")});
  CommandResult result = run_payload(payload("fails", json::array(), steps));
  EXPECT_EQ(result.exit_code, 3) << result.describe();
  EXPECT_EQ(result.out.find("never"), std::string::npos) << result.describe();
  EXPECT_NE(result.out.find("after-ran\n"), std::string::npos) << result.describe();
}

TEST_F(ShimPayloadTest, AfterScriptRunsPerItsWhen) {
  json steps = json::array(
      {step("script", {"echo ok"}), step("after_script", {"echo after-on-failure"}, "on_failure")});
  CommandResult result = run_payload(payload("when", json::array(), steps));
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out.find("after-on-failure"), std::string::npos) << result.describe();
  steps[0]["script"] = {"exit 5"};
  result = run_payload(payload("when", json::array(), steps));
  EXPECT_EQ(result.exit_code, 5) << result.describe();
  EXPECT_NE(result.out.find("after-on-failure\n"), std::string::npos) << result.describe();
}

TEST_F(ShimPayloadTest, BadPayloadIsAUsageErrorNamingPathAndReason) {
  json bad = payload("bad", json::array(), json::array({step("script", {"true"})}));
  bad["steps"].push_back({{"name", "after_script"}, {"script", "echo"}});
  CommandResult result = run_payload(bad);
  EXPECT_EQ(result.exit_code, 2) << result.describe();
  EXPECT_NE(result.err.find(work_ + "/payload.json: steps[1].script: expected an array of strings"),
            std::string::npos)
      << result.describe();
}

}  // namespace
}  // namespace integration::shim
