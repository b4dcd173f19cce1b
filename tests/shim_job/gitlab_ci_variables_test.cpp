// variables: forms, precedence, expansion, and the predefined CI_* set.
#include <gtest/gtest.h>

#include "helpers.hpp"

namespace burrow::shim::job {
namespace {

using testing::read_error;
using testing::read_job;
using testing::variable;

TEST(GitlabCiVariables, ValuesAreStringifiedAsGitLabDoes) {
  Job job = read_job(R"(
variables:
  STRING: "hello"
  INTEGER: 42
  OCTAL: 010
  FLOAT: 1.50
  BOOL: yes
  EMPTY: ""
build:
  script: x
)",
                     "build");
  EXPECT_EQ(variable(job, "STRING"), "hello");
  EXPECT_EQ(variable(job, "INTEGER"), "42");
  EXPECT_EQ(variable(job, "OCTAL"), "8");
  EXPECT_EQ(variable(job, "FLOAT"), "1.5");
  EXPECT_EQ(variable(job, "BOOL"), "true");
  EXPECT_EQ(variable(job, "EMPTY"), "");
}

TEST(GitlabCiVariables, OrderIsPredefinedThenGlobalThenJobAndJobOverridesInPlace) {
  Job job = read_job(R"(
variables:
  A: global-a
  B: global-b
build:
  variables:
    C: job-c
    A: job-a
  script: x
)",
                     "build");
  std::vector<std::string> file_keys;
  bool predefined_first = true;
  bool in_file_part = false;
  for (const auto& v : job.variables) {
    bool from_file = v.key.size() == 1;
    if (from_file) {
      file_keys.push_back(v.key);
      in_file_part = true;
    } else if (in_file_part) {
      predefined_first = false;
    }
  }
  EXPECT_TRUE(predefined_first);
  EXPECT_EQ(file_keys, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(variable(job, "A"), "job-a");
  EXPECT_EQ(variable(job, "B"), "global-b");
}

TEST(GitlabCiVariables, MapFormAndExpandFalse) {
  Job job = read_job(R"(
variables:
  DEPLOY_ENV:
    value: staging
    description: where to deploy
    options: [staging, production]
  RAW:
    value: "$DEPLOY_ENV literally"
    expand: false
  NO_VALUE:
    description: set when running by hand
build:
  variables:
    TARGET: {value: "to-$DEPLOY_ENV"}
    PASSWORD: {value: "p$ss$$word", expand: false}
    USES_RAW: "[$RAW]"
  script: x
)",
                     "build");
  EXPECT_EQ(variable(job, "DEPLOY_ENV"), "staging");
  EXPECT_EQ(variable(job, "RAW"), "$DEPLOY_ENV literally");
  EXPECT_EQ(variable(job, "NO_VALUE"), "");
  EXPECT_EQ(variable(job, "TARGET"), "to-staging");
  EXPECT_EQ(variable(job, "PASSWORD"), "p$ss$$word");
  EXPECT_EQ(variable(job, "USES_RAW"), "[$DEPLOY_ENV literally]");
}

TEST(GitlabCiVariables, ExpansionAcrossGlobalJobAndPredefined) {
  Job job = read_job(R"(
variables:
  OUT: $CI_PROJECT_DIR/out/$FLAVOR
  FLAVOR: release
build:
  variables:
    FLAVOR: debug
    ARCHIVE: ${OUT}.tar
    PRICE: "$$5"
    MISSING: "[$NOT_DEFINED]"
    JOB: job-$CI_JOB_NAME
  script: x
)",
                     "build");
  EXPECT_EQ(variable(job, "OUT"), "/builds/project/out/debug");
  EXPECT_EQ(variable(job, "ARCHIVE"), "/builds/project/out/debug.tar");
  EXPECT_EQ(variable(job, "PRICE"), "$5");
  EXPECT_EQ(variable(job, "MISSING"), "[]");
  EXPECT_EQ(variable(job, "JOB"), "job-build");
}

TEST(GitlabCiVariables, FileVariablesOverridePredefinedExceptTheRunnersLast) {
  Job job = read_job(R"(
variables:
  CI_PROJECT_DIR: /src
  CI_JOB_STAGE: overridden
  CI_DISPOSABLE_ENVIRONMENT: "false"
build:
  script: x
)",
                     "build");
  EXPECT_EQ(variable(job, "CI_PROJECT_DIR"), "/src");
  EXPECT_EQ(variable(job, "CI_JOB_STAGE"), "overridden");
  EXPECT_EQ(variable(job, "CI_DISPOSABLE_ENVIRONMENT"), "true");
  size_t count = 0;
  for (const auto& v : job.variables) count += v.key == "CI_PROJECT_DIR";
  EXPECT_EQ(count, 1u) << "one entry per name";
}

TEST(GitlabCiVariables, InheritVariables) {
  const std::string yaml = R"(
variables:
  A: a
  B: b
none:
  inherit: {variables: false}
  script: x
some:
  inherit:
    variables: [B]
  variables:
    C: "$A-$B"
  script: x
)";
  Job none = read_job(yaml, "none");
  EXPECT_EQ(variable(none, "A"), "<unset>");
  EXPECT_EQ(variable(none, "B"), "<unset>");
  Job some = read_job(yaml, "some");
  EXPECT_EQ(variable(some, "A"), "<unset>");
  EXPECT_EQ(variable(some, "C"), "-b");
}

TEST(GitlabCiVariables, Errors) {
  EXPECT_EQ(read_error("variables: {A: [1]}\nbuild: {script: x}\n"),
            ".gitlab-ci.yml: variables.A: expected a string, number, boolean or a map with "
            "value:, got a sequence");
  EXPECT_EQ(read_error("build:\n  variables:\n    A:\n  script: x\n"),
            ".gitlab-ci.yml: build.variables.A: expected a string, number, boolean or a map with "
            "value:, got null");
  EXPECT_EQ(read_error("build:\n  variables: {A: {value: x, description: d}}\n  script: x\n"),
            ".gitlab-ci.yml: build.variables.A: unknown keys: description");
  EXPECT_EQ(read_error("build:\n  variables: {A: {value: x, expand: maybe}}\n  script: x\n"),
            ".gitlab-ci.yml: build.variables.A.expand: expected true or false, got a string");
  EXPECT_EQ(read_error("variables: {A: {value: x, options: [y]}}\nbuild: {script: x}\n"),
            ".gitlab-ci.yml: variables.A: value \"x\" is not one of its options");
  EXPECT_EQ(read_error("build:\n  variables: [A]\n  script: x\n"),
            ".gitlab-ci.yml: build.variables: expected a map of variables, got a sequence");
  EXPECT_EQ(read_error("variables: {A: $B, B: $C}\nbuild:\n  variables: {C: $A}\n  script: x\n"),
            ".gitlab-ci.yml: build.variables: circular variable reference detected: A, B, C");
}

TEST(GitlabCiPredefined, TheSetAJobSees) {
  ReadOptions options;
  options.builds_dir = "/work/";
  options.project_name = "burrow";
  options.project_namespace = "ci";
  options.job_id = "42";
  options.pipeline_id = "7";
  options.commit_sha = "0123456789abcdef";
  options.commit_branch = "Feature/Shim";
  Job job = read_job("build:\n  stage: build\n  image: alpine\n  script: x\n", "build", options);
  EXPECT_EQ(variable(job, "CI"), "true");
  EXPECT_EQ(variable(job, "GITLAB_CI"), "true");
  EXPECT_EQ(variable(job, "CI_SERVER"), "yes");
  EXPECT_EQ(variable(job, "CI_CONFIG_PATH"), ".gitlab-ci.yml");
  EXPECT_EQ(variable(job, "CI_JOB_ID"), "42");
  EXPECT_EQ(variable(job, "CI_JOB_NAME"), "build");
  EXPECT_EQ(variable(job, "CI_JOB_NAME_SLUG"), "build");
  EXPECT_EQ(variable(job, "CI_JOB_STAGE"), "build");
  EXPECT_EQ(variable(job, "CI_JOB_IMAGE"), "alpine");
  EXPECT_EQ(variable(job, "CI_JOB_STATUS"), "running");
  EXPECT_EQ(variable(job, "CI_JOB_TIMEOUT"), "3600");
  EXPECT_EQ(variable(job, "CI_PIPELINE_ID"), "7");
  EXPECT_EQ(variable(job, "CI_PIPELINE_SOURCE"), "push");
  EXPECT_EQ(variable(job, "CI_BUILDS_DIR"), "/work");
  EXPECT_EQ(variable(job, "CI_PROJECT_DIR"), "/work/burrow");
  EXPECT_EQ(variable(job, "CI_PROJECT_NAME"), "burrow");
  EXPECT_EQ(variable(job, "CI_PROJECT_PATH"), "ci/burrow");
  EXPECT_EQ(variable(job, "CI_PROJECT_PATH_SLUG"), "ci-burrow");
  EXPECT_EQ(variable(job, "CI_CONCURRENT_ID"), "0");
  EXPECT_EQ(variable(job, "CI_COMMIT_SHA"), "0123456789abcdef");
  EXPECT_EQ(variable(job, "CI_COMMIT_SHORT_SHA"), "01234567");
  EXPECT_EQ(variable(job, "CI_COMMIT_BRANCH"), "Feature/Shim");
  EXPECT_EQ(variable(job, "CI_COMMIT_REF_NAME"), "Feature/Shim");
  EXPECT_EQ(variable(job, "CI_COMMIT_REF_SLUG"), "feature-shim");
  EXPECT_EQ(variable(job, "CI_COMMIT_TAG"), "<unset>");
  EXPECT_EQ(variable(job, "CI_DISPOSABLE_ENVIRONMENT"), "true");
  EXPECT_EQ(variable(job, "CI_RUNNER_EXECUTABLE_ARCH").rfind("linux/", 0), 0u);
}

TEST(GitlabCiPredefined, UnknownValuesAreLeftUnset) {
  Job job = read_job("build: {script: x}\n", "build");
  EXPECT_EQ(variable(job, "CI_JOB_ID"), "<unset>");
  EXPECT_EQ(variable(job, "CI_PIPELINE_ID"), "<unset>");
  EXPECT_EQ(variable(job, "CI_COMMIT_SHA"), "<unset>");
  EXPECT_EQ(variable(job, "CI_PROJECT_DIR"), "/builds/project");
}

}  // namespace
}  // namespace burrow::shim::job
