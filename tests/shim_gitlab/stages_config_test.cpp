// Stage names of GitLab Runner's custom executor (common/build.go BuildStage*, `step_script`
// handed over as `build_script`), the config JSON (executors/custom/api ConfigExecOutput) and
// the pod record the driver's calls share.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "gitlab/config_output.hpp"
#include "gitlab/pod_record.hpp"
#include "gitlab/stages.hpp"

namespace burrow::shim::gitlab {
namespace {

TEST(Stages, UserScriptsRunInTheJobContainer) {
  for (const char* stage : {"build_script", "step_script", "step_release", "after_script"}) {
    auto target = stage_target(stage);
    ASSERT_TRUE(target) << stage;
    EXPECT_EQ(*target, Target::kJob) << stage;
  }
}

TEST(Stages, TheRunnersPlumbingRunsInTheHelper) {
  for (const char* stage :
       {"prepare_script", "get_sources", "clear_worktree", "restore_cache", "download_artifacts",
        "archive_cache", "archive_cache_on_failure", "upload_artifacts_on_success",
        "upload_artifacts_on_failure", "cleanup_file_variables"}) {
    auto target = stage_target(stage);
    ASSERT_TRUE(target) << stage;
    EXPECT_EQ(*target, Target::kHelper) << stage;
  }
}

TEST(Stages, UnknownStagesAreRefusedByName) {
  for (const char* stage : {"", "step_", "build", "resolve_secrets", "Build_Script"}) {
    auto target = stage_target(stage);
    ASSERT_FALSE(target) << stage;
    EXPECT_EQ(target.error().message, std::string("unknown stage '") + stage +
                                          "' (not one of GitLab Runner's custom executor stages)");
  }
}

TEST(ConfigOutput, TheFieldsTheRunnerReads) {
  DriverConfig config;
  config.hostname = "runner-burrow-job-9";
  config.version = "1.2.3";
  nlohmann::json json = config_json(config);
  EXPECT_EQ(json, nlohmann::json::parse(R"({
    "builds_dir": "/builds", "cache_dir": "/cache", "builds_dir_is_shared": false,
    "hostname": "runner-burrow-job-9",
    "driver": {"name": "burrow-shim", "version": "1.2.3"},
    "job_env": {}})"));
}

TEST(ConfigOutput, OtherDirsAndJobEnv) {
  DriverConfig config;
  config.builds_dir = "/work";
  config.cache_dir = "/var/cache/ci";
  config.job_env = {{"A", "1"}};
  nlohmann::json json = config_json(config);
  EXPECT_EQ(json["builds_dir"], "/work");
  EXPECT_EQ(json["cache_dir"], "/var/cache/ci");
  EXPECT_FALSE(json.contains("hostname"));
  EXPECT_EQ(json["job_env"], nlohmann::json({{"A", "1"}}));
}

TEST(PodRecord, RoundTrip) {
  PodRecord record{{"burrow-shim-1-gitlab-x-job", "/bin/bash"},
                   {"burrow-shim-1-gitlab-x-helper", "/bin/sh"}};
  auto back = parse_pod_record(pod_record_text(record), "gitlab.json");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, record);
}

TEST(PodRecord, BadRecordsNameTheField) {
  auto bad = parse_pod_record("[]", "d/gitlab.json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "d/gitlab.json: not a JSON object");
  bad = parse_pod_record(R"({"job":{"id":"a","shell":"/bin/sh"},"helper":{"id":"b"}})",
                         "d/gitlab.json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "d/gitlab.json: helper.shell: expected a non-empty string");
  bad = parse_pod_record(R"({"helper":{"id":"b","shell":"/bin/sh"}})", "d/gitlab.json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "d/gitlab.json: job: expected an object");
}

}  // namespace
}  // namespace burrow::shim::gitlab
