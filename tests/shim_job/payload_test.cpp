// The runner's job payload reader (job/payload): every field it reads, and its errors.
#include "job/payload.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "helpers.hpp"

namespace burrow::shim::job {
namespace {

using testing::lines;
using testing::variable;
using Json = nlohmann::json;

const char* kPayload = "payload.json";

// A minimal payload GitLab could send, for each test to change.
Json base() {
  return Json::parse(R"({
    "id": 42, "token": "tok",
    "job_info": {"name": "build", "stage": "test", "project_id": 7, "project_name": "demo"},
    "runner_info": {"timeout": 3600},
    "variables": [],
    "steps": [{"name": "script", "script": ["echo hi"], "timeout": 3600, "when": "on_success",
               "allow_failure": false}]
  })");
}

Job read(const Json& payload) {
  Result<Job> job = parse_job_payload(payload.dump(), kPayload, ReadOptions{});
  EXPECT_TRUE(job.ok()) << job.error().message;
  return job.ok() ? *job : Job{};
}

std::string text_error(const std::string& text) {
  Result<Job> job = parse_job_payload(text, kPayload, ReadOptions{});
  return job.ok() ? "<accepted>" : job.error().message;
}
std::string error(const Json& payload) {
  return text_error(payload.dump());
}

TEST(JobPayload, ReadsJobInfoStepsAndTimeout) {
  Json p = base();
  p["steps"].push_back({{"name", "after_script"},
                        {"script", {"echo bye", "echo again"}},
                        {"timeout", 300},
                        {"when", "always"},
                        {"allow_failure", true}});
  p["steps"][0]["allow_failure"] = true;
  Job job = read(p);
  EXPECT_EQ(job.name, "build");
  EXPECT_EQ(job.stage, "test");
  EXPECT_TRUE(job.before_script.empty());  // GitLab sends before_script inside the script step
  EXPECT_EQ(job.script, lines({"echo hi"}));
  EXPECT_EQ(job.after_script, lines({"echo bye", "echo again"}));
  EXPECT_EQ(job.after_script_when, When::kAlways);
  EXPECT_TRUE(job.allow_failure);
  EXPECT_EQ(job.timeout, std::chrono::seconds(3600));
  EXPECT_EQ(variable(job, "CI_JOB_ID"), "42");
  EXPECT_EQ(variable(job, "CI_JOB_NAME"), "build");
  EXPECT_EQ(variable(job, "CI_PROJECT_NAME"), "demo");
  EXPECT_EQ(variable(job, "CI_PROJECT_DIR"), "/builds/demo");
  EXPECT_EQ(variable(job, "CI_JOB_TIMEOUT"), "3600");
}

TEST(JobPayload, TimeoutIsTheSmallerOfRunnerAndStep) {
  Json p = base();
  p["runner_info"]["timeout"] = 600;
  EXPECT_EQ(read(p).timeout, std::chrono::seconds(600));
  p["runner_info"]["timeout"] = 7200;
  p["steps"][0]["timeout"] = 120;
  EXPECT_EQ(read(p).timeout, std::chrono::seconds(120));
  p["steps"][0].erase("timeout");
  p.erase("runner_info");
  EXPECT_EQ(read(p).timeout, std::chrono::seconds(3600));  // GitLab's default
}

TEST(JobPayload, AfterScriptWhen) {
  Json p = base();
  p["steps"].push_back({{"name", "after_script"}, {"script", {"x"}}, {"when", "on_failure"}});
  EXPECT_EQ(read(p).after_script_when, When::kOnFailure);
  p["steps"][1]["when"] = "on_success";
  EXPECT_EQ(read(p).after_script_when, When::kOnSuccess);
}

TEST(JobPayload, VariablesExpandOnceAndRawStays) {
  Json p = base();
  p["variables"] = Json::parse(R"([
    {"key": "CI_JOB_NAME", "value": "build", "public": true},
    {"key": "A", "value": "a-$B", "public": true},
    {"key": "B", "value": "b", "public": false},
    {"key": "RAW", "value": "keep $B", "raw": true},
    {"key": "DOLLAR", "value": "$$B"}
  ])");
  Job job = read(p);
  EXPECT_EQ(variable(job, "A"), "a-b");
  EXPECT_EQ(variable(job, "RAW"), "keep $B");
  EXPECT_EQ(variable(job, "DOLLAR"), "$B");
  EXPECT_EQ(variable(job, "CI_RUNNER_EXECUTABLE_ARCH").rfind("linux/", 0), 0u);
}

TEST(JobPayload, FileVariablesBecomeFiles) {
  Json p = base();
  p["variables"] = Json::parse(R"([{"key": "CONF", "value": "line $X", "file": true},
                                   {"key": "X", "value": "1"}])");
  Job job = read(p);
  ASSERT_EQ(job.files.size(), 1u);
  EXPECT_EQ(job.files[0].key, "CONF");
  EXPECT_EQ(job.files[0].path, "/builds/demo.tmp/CONF");
  EXPECT_EQ(job.files[0].content, "line 1");
  EXPECT_EQ(variable(job, "CONF"), "/builds/demo.tmp/CONF");
}

TEST(JobPayload, MaskedValuesOfEightBytesOrMore) {
  Json p = base();
  p["variables"] = Json::parse(R"([{"key": "TOKEN", "value": "s3cr3t-value", "masked": true},
                                   {"key": "SHORT", "value": "1234567", "masked": true},
                                   {"key": "OPEN", "value": "not-secret", "masked": false}])");
  Job job = read(p);
  EXPECT_EQ(job.masked_values, lines({"s3cr3t-value"}));
  EXPECT_EQ(variable(job, "TOKEN"), "s3cr3t-value");
}

TEST(JobPayload, ImageAndServices) {
  Json p = base();
  p["variables"] = Json::parse(R"([{"key": "TAG", "value": "16"}])");
  p["image"] = Json::parse(R"({"name": "alpine:3", "entrypoint": [""], "ports": [],
                               "pull_policy": ["if-not-present"]})");
  p["services"] = Json::parse(R"([{"name": "postgres:$TAG", "alias": "db,pg",
                                   "command": ["postgres", "-c", "fsync=off"],
                                   "entrypoint": ["/bin/sh"],
                                   "variables": [{"key": "PGDATA", "value": "/d/$TAG"}]}])");
  Job job = read(p);
  EXPECT_EQ(job.image.name, "alpine:3");
  ASSERT_TRUE(job.image.entrypoint);
  EXPECT_TRUE(job.image.entrypoint->empty());
  EXPECT_EQ(variable(job, "CI_JOB_IMAGE"), "alpine:3");
  ASSERT_EQ(job.services.size(), 1u);
  EXPECT_EQ(job.services[0].image.name, "postgres:16");
  EXPECT_EQ(job.services[0].aliases, lines({"db", "pg"}));
  EXPECT_EQ(*job.services[0].command, lines({"postgres", "-c", "fsync=off"}));
  EXPECT_EQ(*job.services[0].image.entrypoint, lines({"/bin/sh"}));
  ASSERT_EQ(job.services[0].variables.size(), 1u);
  EXPECT_EQ(job.services[0].variables[0].value, "/d/16");
  EXPECT_EQ(job.ignored_keywords, lines({"image.pull_policy"}));
  EXPECT_EQ(job.services[0].profile, "");
}

TEST(JobPayload, ServiceProfileIsBurrowsExtension) {
  Json p = base();
  p["services"] = Json::parse(R"([{"name": "docker:dind", "profile": "dind"}, {"name": "db"}])");
  Job job = read(p);
  ASSERT_EQ(job.services.size(), 2u);
  EXPECT_EQ(job.services[0].profile, "dind");
  EXPECT_EQ(job.services[1].profile, "");
  p["services"] = Json::parse(R"([{"name": "docker:dind", "profile": "privileged"}])");
  EXPECT_EQ(error(p),
            "payload.json: services[0].profile: expected \"\" or \"dind\", got \"privileged\"");
  p["services"] = Json::parse(R"([{"name": "docker:dind", "profile": true}])");
  EXPECT_EQ(error(p), "payload.json: services[0].profile: expected a string");
}

TEST(JobPayload, OtherStepsAndFieldsAreListedAsIgnored) {
  Json p = base();
  p["steps"].push_back({{"name", "release"}, {"script", {"release-cli create"}}});
  p["artifacts"] = Json::parse(R"([{"name": "a", "paths": ["out"]}])");
  p["cache"] = Json::array();
  p["unknown_field"] = 1;  // the runner ignores what it does not know
  EXPECT_EQ(read(p).ignored_keywords, lines({"steps[1] (release)", "artifacts"}));
}

TEST(JobPayload, ErrorsNameFilePathAndReason) {
  EXPECT_EQ(text_error("{"),
            "payload.json: not valid JSON: parse error at line 1, column 2: "
            "syntax error while parsing object key - unexpected end of input; "
            "expected string literal");
  // out_of_range, not parse_error, in nlohmann_json: it escaped and aborted the shim (found by
  // fuzz/job_payload).
  EXPECT_EQ(text_error("{\"id\": 1e999}"),
            "payload.json: not valid JSON: number overflow parsing '1e999'");
  EXPECT_EQ(text_error("[]"), "payload.json: expected a JSON object (GitLab's job payload)");
  Json p = base();
  p["steps"].push_back({{"name", "after_script"}, {"script", "echo"}});
  EXPECT_EQ(error(p), "payload.json: steps[1].script: expected an array of strings");
  p = base();
  p["steps"][0]["script"] = {"ok", 3};
  EXPECT_EQ(error(p), "payload.json: steps[0].script: expected an array of strings");
  p = base();
  p["steps"][0]["script"] = Json::array();
  EXPECT_EQ(error(p), "payload.json: steps[0].script: empty");
  p = base();
  p["steps"][0]["name"] = "after_script";
  EXPECT_EQ(error(p), "payload.json: steps: no step named script");
  p = base();
  p.erase("steps");
  EXPECT_EQ(error(p), "payload.json: steps: missing");
  p = base();
  p["steps"][0]["when"] = "sometimes";
  EXPECT_EQ(error(p),
            "payload.json: steps[0].when: expected on_success, on_failure or always, got "
            "\"sometimes\"");
  p = base();
  p["steps"][0]["timeout"] = "1h";
  EXPECT_EQ(error(p),
            "payload.json: steps[0].timeout: expected a number of seconds (a whole "
            "number, not negative)");
  p = base();
  p["runner_info"]["timeout"] = -1;
  EXPECT_EQ(error(p),
            "payload.json: runner_info.timeout: expected a number of seconds (a whole "
            "number, not negative)");
  p = base();
  p["variables"] = Json::parse(R"([{"key": "A", "value": 1}])");
  EXPECT_EQ(error(p), "payload.json: variables[0].value: expected a string");
  p["variables"] = Json::parse(R"([{"value": "x"}])");
  EXPECT_EQ(error(p), "payload.json: variables[0].key: missing");
  p["variables"] = Json::parse(R"([{"key": "A", "masked": "yes"}])");
  EXPECT_EQ(error(p), "payload.json: variables[0].masked: expected true or false");
  p["variables"] = Json::parse(R"({"A": "x"})");
  EXPECT_EQ(error(p), "payload.json: variables: expected an array");
  p = base();
  p["job_info"].erase("name");
  EXPECT_EQ(error(p), "payload.json: job_info.name: missing");
  p = base();
  p["image"] = "alpine";
  EXPECT_EQ(error(p), "payload.json: image: expected an object");
  p = base();
  p["services"] = Json::parse(R"([{"alias": "db"}])");
  EXPECT_EQ(error(p), "payload.json: services[0].name: missing");
  p["services"] = Json::parse(R"([{"name": "db", "command": "run"}])");
  EXPECT_EQ(error(p), "payload.json: services[0].command: expected an array of strings");
  p = base();
  p["id"] = "42";
  EXPECT_EQ(error(p), "payload.json: id: expected a job id (a whole number)");
}

TEST(JobPayload, MissingFileIsAnError) {
  Result<Job> job = read_job_payload("/nonexistent/payload.json", ReadOptions{});
  ASSERT_FALSE(job.ok());
  EXPECT_NE(job.error().message.find("/nonexistent/payload.json"), std::string::npos);
}

}  // namespace
}  // namespace burrow::shim::job
