// image, services, scripts, stage, timeout and the keywords burrow-shim only lists.
#include <gtest/gtest.h>

#include "helpers.hpp"

namespace burrow::shim::job {
namespace {

using testing::lines;
using testing::read_error;
using testing::read_job;
using testing::variable;

TEST(GitlabCiImage, StringForm) {
  Job job = read_job("build:\n  image: alpine:3.19\n  script: make\n", "build");
  EXPECT_EQ(job.image, (ImageSpec{"alpine:3.19", std::nullopt}));
}

TEST(GitlabCiImage, MapFormWithEntrypoint) {
  Job job = read_job(R"(
build:
  image:
    name: registry.example.com/tools:1
    entrypoint: ["/bin/sh", "-c"]
  script: make
)",
                     "build");
  EXPECT_EQ(job.image.name, "registry.example.com/tools:1");
  EXPECT_EQ(job.image.entrypoint, lines({"/bin/sh", "-c"}));
}

TEST(GitlabCiImage, EmptyStringEntrypointMeansNone) {
  Job job = read_job("build:\n  image: {name: x, entrypoint: [\"\"]}\n  script: make\n", "build");
  ASSERT_TRUE(job.image.entrypoint.has_value());
  EXPECT_TRUE(job.image.entrypoint->empty());
  // An empty list sends nothing to the engine: the image's own entrypoint stays.
  job = read_job("build:\n  image: {name: x, entrypoint: []}\n  script: make\n", "build");
  EXPECT_FALSE(job.image.entrypoint.has_value());
}

TEST(GitlabCiImage, NoImageLeavesTheNameEmpty) {
  Job job = read_job("build:\n  script: make\n", "build");
  EXPECT_EQ(job.image.name, "");
  EXPECT_EQ(variable(job, "CI_JOB_IMAGE"), "<unset>");
}

TEST(GitlabCiImage, NameExpandsWithTheJobsVariables) {
  Job job = read_job(R"(
variables:
  REGISTRY: registry.example.com
  TAG: "1.2"
build:
  image: $REGISTRY/app:${TAG}-$UNDEFINED
  variables:
    TAG: "2.0"
  script: make
)",
                     "build");
  EXPECT_EQ(job.image.name, "registry.example.com/app:2.0-");
  EXPECT_EQ(variable(job, "CI_JOB_IMAGE"), "registry.example.com/app:2.0-");
}

TEST(GitlabCiImage, PullPolicyAndDockerOptionsAreListedAsIgnored) {
  Job job = read_job(R"(
build:
  image: {name: x, pull_policy: always, docker: {platform: arm64}}
  services: [{name: db, ports: [5432]}]
  script: make
)",
                     "build");
  EXPECT_EQ(job.ignored_keywords, lines({"image:pull_policy", "image:docker", "services:ports"}));
}

TEST(GitlabCiServices, StringAndMapForms) {
  Job job = read_job(R"(
build:
  variables:
    PG: postgres
  services:
    - redis:7
    - name: $PG:16
      alias: db, pg  database
      entrypoint: ["docker-entrypoint.sh"]
      command: ["postgres", "-c", "fsync=off"]
      variables:
        POSTGRES_DB: app_$PG
        POSTGRES_PORT: 5432
    - name: docker:dind
      profile: dind
  script: make
)",
                     "build");
  ASSERT_EQ(job.services.size(), 3u);
  EXPECT_EQ(job.services[0].image.name, "redis:7");
  EXPECT_TRUE(job.services[0].aliases.empty());
  EXPECT_EQ(job.services[0].profile, "");
  const ServiceSpec& db = job.services[1];
  EXPECT_EQ(db.image.name, "postgres:16");
  EXPECT_EQ(db.aliases, lines({"db", "pg", "database"}));
  EXPECT_EQ(db.image.entrypoint, lines({"docker-entrypoint.sh"}));
  EXPECT_EQ(db.command, lines({"postgres", "-c", "fsync=off"}));
  EXPECT_EQ(db.variables, (Variables{{"POSTGRES_DB", "app_postgres"}, {"POSTGRES_PORT", "5432"}}));
  EXPECT_EQ(job.services[2].profile, "dind");
}

TEST(GitlabCiServices, AliasExpandsWithTheJobsVariables) {
  Job job = read_job(
      "build:\n  variables: {NAME: cache}\n  services: [{name: redis, alias: \"$NAME,${NAME}2\"}]\n"
      "  script: make\n",
      "build");
  EXPECT_EQ(job.services[0].aliases, lines({"cache", "cache2"}));
}

TEST(GitlabCiServices, Errors) {
  EXPECT_EQ(read_error("build:\n  services: [{name: db, alias: [a, b]}]\n  script: x\n"),
            ".gitlab-ci.yml: build.services[0].alias: expected a string, got a sequence");
  EXPECT_EQ(read_error("build:\n  services: [redis, {alias: db}]\n  script: x\n"),
            ".gitlab-ci.yml: build.services[1].name: missing");
  EXPECT_EQ(read_error("build:\n  services: redis\n  script: x\n"),
            ".gitlab-ci.yml: build.services: expected a list, got a string");
  EXPECT_EQ(read_error("build:\n  services: [{name: d, profile: podman}]\n  script: x\n"),
            ".gitlab-ci.yml: build.services[0].profile: expected \"\" or \"dind\", got \"podman\"");
  EXPECT_EQ(read_error("build:\n  services: [{name: d, hostname: x}]\n  script: x\n"),
            ".gitlab-ci.yml: build.services[0]: unknown keys: hostname");
  EXPECT_EQ(
      read_error("build:\n  services: [{name: d, variables: {A: {value: x}}}]\n  script: x\n"),
      ".gitlab-ci.yml: build.services[0].variables.A: expected a string, number or boolean, "
      "got a map");
}

TEST(GitlabCiImage, Errors) {
  EXPECT_EQ(read_error("build:\n  image: [alpine]\n  script: x\n"),
            ".gitlab-ci.yml: build.image: expected an image name or a map, got a sequence");
  EXPECT_EQ(read_error("build:\n  image: {entrypoint: [sh]}\n  script: x\n"),
            ".gitlab-ci.yml: build.image.name: missing");
  EXPECT_EQ(read_error("build:\n  image: {name: x, entrypoint: sh}\n  script: x\n"),
            ".gitlab-ci.yml: build.image.entrypoint: expected a list of strings, got a string");
  EXPECT_EQ(read_error("build:\n  image: {name: x, tag: y}\n  script: x\n"),
            ".gitlab-ci.yml: build.image: unknown keys: tag");
}

TEST(GitlabCiScripts, StringOrListAndNestedListsFlatten) {
  Job job = read_job(R"(
.setup: &setup
  - echo one
  - [echo two, echo three]
build:
  before_script: echo before
  script:
    - *setup
    - |
      multi
      line
  after_script: [echo after]
)",
                     "build");
  EXPECT_EQ(job.before_script, lines({"echo before"}));
  EXPECT_EQ(job.script, lines({"echo one", "echo two", "echo three", "multi\nline\n"}));
  EXPECT_EQ(job.after_script, lines({"echo after"}));
}

TEST(GitlabCiScripts, Errors) {
  EXPECT_EQ(read_error("build:\n  stage: test\n"),
            ".gitlab-ci.yml: build: a job needs script: (or run: or trigger:)");
  EXPECT_EQ(read_error("build:\n  script:\n"), ".gitlab-ci.yml: build.script: missing");
  EXPECT_EQ(read_error("build:\n  script: []\n"), ".gitlab-ci.yml: build.script: empty");
  EXPECT_EQ(read_error("build:\n  script: \"\"\n"), ".gitlab-ci.yml: build.script: empty");
  EXPECT_EQ(read_error("build:\n  script: [echo a, 42]\n"),
            ".gitlab-ci.yml: build.script[1]: expected a string, got an integer (42)");
  EXPECT_EQ(read_error("build:\n  script:\n    - echo a: b\n"),
            ".gitlab-ci.yml: build.script[0]: expected a command (a string), got a map");
  EXPECT_EQ(
      read_error("build:\n  script: x\n  after_script: {a: b}\n"),
      ".gitlab-ci.yml: build.after_script: expected a string or a list of strings, got a map");
  EXPECT_EQ(read_error("build:\n  script: [[[[[[[[[[[x]]]]]]]]]]]\n"),
            ".gitlab-ci.yml: build.script[0][0][0][0][0][0][0][0][0][0]: lists nested more than "
            "10 levels deep");
  EXPECT_EQ(read_job("build:\n  script: [[[[[[[[[[x]]]]]]]]]]\n", "build").script, lines({"x"}));
}

TEST(GitlabCiStage, DefaultsToTestAndMustBeAStage) {
  EXPECT_EQ(read_job("build:\n  script: x\n", "build").stage, "test");
  EXPECT_EQ(read_job("build:\n  stage: .pre\n  script: x\n", "build").stage, ".pre");
  Job job = read_job("stages: [lint, [unit, e2e]]\nbuild:\n  stage: e2e\n  script: x\n", "build");
  EXPECT_EQ(job.stage, "e2e");
  EXPECT_EQ(variable(job, "CI_JOB_STAGE"), "e2e");
  EXPECT_EQ(read_error("build:\n  stage: release\n  script: x\n"),
            ".gitlab-ci.yml: build.stage: stage 'release' is not in stages (.pre, build, test, "
            "deploy, .post)");
  EXPECT_EQ(read_error("stages: [a]\nbuild:\n  script: x\n"),
            ".gitlab-ci.yml: build.stage: stage 'test' is not in stages (.pre, a, .post)")
      << "the default stage must exist too";
}

TEST(GitlabCiTimeout, HumanDurations) {
  auto timeout_of = [](const std::string& value) {
    return read_job("build:\n  script: x\n  timeout: " + value + "\n", "build").timeout.count();
  };
  EXPECT_EQ(timeout_of("1h 30m"), 5400);
  EXPECT_EQ(timeout_of("3 hours"), 10800);
  EXPECT_EQ(timeout_of("10 minutes 30 seconds"), 630);
  EXPECT_EQ(timeout_of("90m"), 5400);
  EXPECT_EQ(timeout_of("\"3600\""), 3600);
  EXPECT_EQ(timeout_of("1.5s"), 1);
  EXPECT_EQ(timeout_of("4 weeks"), 28 * 86400);
  EXPECT_EQ(read_job("build:\n  script: x\n", "build").timeout.count(), 3600);
  Job job = read_job("build:\n  script: x\n  timeout: 2h\n", "build");
  EXPECT_EQ(variable(job, "CI_JOB_TIMEOUT"), "7200");
}

TEST(GitlabCiTimeout, Errors) {
  EXPECT_EQ(read_error("build:\n  script: x\n  timeout: soon\n"),
            ".gitlab-ci.yml: build.timeout: \"soon\" is not a duration: unknown word \"soon\"");
  EXPECT_EQ(read_error("build:\n  script: x\n  timeout: 3600\n"),
            ".gitlab-ci.yml: build.timeout: expected a duration such as \"1h 30m\" (a string), "
            "got an integer (3600)");
  EXPECT_EQ(read_error("build:\n  script: x\n  timeout: 31 days\n"),
            ".gitlab-ci.yml: build.timeout: \"31 days\" exceeds GitLab's limit of one month");
  EXPECT_EQ(read_error("build:\n  script: x\n  timeout: 0s\n"),
            ".gitlab-ci.yml: build.timeout: \"0s\" is not a duration: not a duration");
}

TEST(GitlabCiIgnored, EachKeywordListedOnceTopLevelFirst) {
  Job job = read_job(R"(
include: ci/other.yml
workflow: {rules: [{when: always}]}
stages: [build, test]
cache: {paths: [vendor]}
default:
  tags: [docker]
  retry: 2
build:
  stage: build
  script: make
  rules: [{if: $CI}]
  artifacts: {paths: [out]}
  needs: []
  tags: [big]
  allow_failure: true
  environment: production
  interruptible: true
)",
                     "build");
  EXPECT_EQ(job.ignored_keywords,
            lines({"include", "workflow", "stages", "cache", "rules", "artifacts", "needs", "tags",
                   "allow_failure", "environment", "interruptible", "retry"}));
}

TEST(GitlabCiIgnored, UnknownJobKeysAreErrors) {
  EXPECT_EQ(read_error("build:\n  script: x\n  scirpt: y\n  foo: 1\n"),
            ".gitlab-ci.yml: build: unknown keys: scirpt, foo");
}

}  // namespace
}  // namespace burrow::shim::job
