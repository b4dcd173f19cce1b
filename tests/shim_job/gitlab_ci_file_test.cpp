// The file as a whole: YAML errors, job lookup, list_jobs, reading from disk.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "helpers.hpp"

namespace burrow::shim::job {
namespace {

using testing::lines;
using testing::read_error;
using testing::read_job;

TEST(GitlabCiFile, YamlSyntaxErrorsCarryLineAndColumn) {
  EXPECT_EQ(read_error("build:\n  script: [a\nother: 1\n"),
            ".gitlab-ci.yml:3:6: end of sequence flow not found");
  EXPECT_EQ(read_error("build:\n  script: *nowhere\n"),
            ".gitlab-ci.yml:2:11: the referenced anchor is not defined");
}

// yaml-cpp's LoadAll reads this as an endless run of empty documents and never returned (found
// by fuzz/gitlab_ci); the documents are counted first.
TEST(GitlabCiFile, EndlessEmptyDocumentsAreRefusedNotAHang) {
  EXPECT_EQ(read_error("\n,\nv.o"),
            ".gitlab-ci.yml: expected one YAML document (or a spec: header and one)");
  Result<std::vector<std::string>> jobs = list_jobs("\n,\nv.o", testing::kFile);
  ASSERT_FALSE(jobs.ok());
  EXPECT_EQ(jobs.error().message,
            ".gitlab-ci.yml: expected one YAML document (or a spec: header and one)");
}

TEST(GitlabCiFile, ShapeErrors) {
  EXPECT_EQ(read_error(""), ".gitlab-ci.yml: empty file: no jobs");
  EXPECT_EQ(read_error("- build\n"),
            ".gitlab-ci.yml: expected a map of jobs and keywords, got a sequence");
  EXPECT_EQ(read_error("build: [echo]\n"),
            ".gitlab-ci.yml: build: expected a job (a map with script:), got a sequence");
  EXPECT_EQ(read_error("build:\n  script: x\n  when: 2024-01-05\n"),
            ".gitlab-ci.yml:3:9: 2024-01-05 is a date, which GitLab refuses to load; quote it to "
            "make it a string");
  EXPECT_EQ(read_error("a: 1\n---\nb: 2\n"),
            ".gitlab-ci.yml: the first of two YAML documents must be a spec: header");
}

// Aliases nested ten deep, ten each: 10^9 values once copied in place (fuzz/gitlab_ci ran out of
// memory on such a file). Refused by count; a file of aliases below the limit still loads.
std::string alias_tree(int levels) {
  std::string yaml = ".l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level < levels; ++level) {
    std::string below = "*l" + std::to_string(level - 1);
    yaml += ".l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) yaml += (i ? ", " : "") + below;
    yaml += "]\n";
  }
  return yaml + "build:\n  script: [\"true\"]\n  variables: {X: *l" + std::to_string(levels - 1) +
         "}\n";
}

TEST(GitlabCiFile, AnAliasBombIsRefusedByItsExpandedSize) {
  EXPECT_EQ(read_error(alias_tree(9)),
            ".gitlab-ci.yml: the parsed YAML is too big: more than 100000 values once its "
            "aliases are expanded");
  Result<std::vector<std::string>> jobs = list_jobs(alias_tree(9), testing::kFile);
  ASSERT_FALSE(jobs.ok());
  EXPECT_NE(jobs.error().message.find("too big"), std::string::npos) << jobs.error().message;
  // 10^3 values in all: an ordinary use of anchors.
  EXPECT_EQ(read_error(alias_tree(3)),
            ".gitlab-ci.yml: build.variables.X: expected a string, number, boolean or a map with "
            "value:, got a sequence")
      << "the file loads; only the variable's shape is wrong";
}

// An alias inside its own anchor's value is an endless tree in yaml-cpp; copying it overflowed
// the stack (found by fuzz/gitlab_ci). Refused by depth, as is a file nested over 100 deep.
TEST(GitlabCiFile, AnAliasInsideItsOwnAnchorIsRefusedNotACrash) {
  EXPECT_EQ(read_error(".setup: &setup\n  - a:\n    - *setup\nbuild: {script: x}\n"),
            ".gitlab-ci.yml:1:9: the parsed YAML is nested more than 100 deep (is an alias inside "
            "its own anchor's value?)");
  std::string deep = "build:\n  script: x\n  variables: {X: " + std::string(100, '[') +
                     std::string(100, ']') + "}\n";
  EXPECT_NE(read_error(deep).find("nested more than 100 deep"), std::string::npos)
      << read_error(deep);
}

TEST(GitlabCiFile, JobLookup) {
  const std::string yaml = R"(
.template: {script: x}
build: {script: x}
test: {script: x}
downstream: {trigger: other/project}
steps: {run: [{name: hi, script: echo}]}
)";
  EXPECT_EQ(read_error(yaml, "deploy"),
            ".gitlab-ci.yml: no job named 'deploy' (jobs: build, test, downstream, steps)");
  EXPECT_EQ(read_error(yaml, ".template"),
            ".gitlab-ci.yml: '.template' is a hidden job (its name starts with '.'); hidden jobs "
            "are templates and cannot be run");
  EXPECT_EQ(
      read_error(yaml, "downstream"),
      ".gitlab-ci.yml: downstream: burrow-shim runs jobs with script:, this one has trigger:");
  EXPECT_EQ(read_error(yaml, "steps"),
            ".gitlab-ci.yml: steps: burrow-shim runs jobs with script:, this one has run:");
  EXPECT_EQ(read_error(yaml, "stages"),
            ".gitlab-ci.yml: no job named 'stages' (jobs: build, test, downstream, steps)");
  EXPECT_EQ(read_job(yaml, "test").name, "test");
}

TEST(GitlabCiFile, AnInvalidOtherJobRejectsTheFileAsGitLabDoes) {
  EXPECT_EQ(read_error("build: {script: x}\nlint: {script: x, image: [bad]}\n"),
            ".gitlab-ci.yml: lint.image: expected an image name or a map, got a sequence");
}

TEST(GitlabCiFile, SpecHeaderDocumentIsSkipped) {
  Job job = read_job("spec:\n  inputs: {}\n---\nbuild: {script: x}\n", "build");
  EXPECT_EQ(job.script, lines({"x"}));
}

TEST(GitlabCiFile, ListJobs) {
  Result<std::vector<std::string>> jobs = list_jobs(R"(
stages: [build, test]
variables: {A: b}
default: {image: alpine}
.hidden: {script: x}
build: {stage: build, script: x}
test: {script: x}
bridge: {trigger: a/b}
)",
                                                    ".gitlab-ci.yml");
  ASSERT_TRUE(jobs.ok()) << jobs.error().message;
  EXPECT_EQ(*jobs, lines({"build", "test", "bridge"}));
}

TEST(GitlabCiFile, ReadsFromDiskAndNamesThePathInErrors) {
  char dir_template[] = "/tmp/burrow-gitlab-ci-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  std::string path = std::string(dir_template) + "/.gitlab-ci.yml";
  std::ofstream(path) << "build:\n  script: make\n  timeout: nope\n";
  Result<Job> job = read_gitlab_ci(path, "build", ReadOptions{});
  ASSERT_FALSE(job.ok());
  EXPECT_EQ(job.error().message,
            path + ": build.timeout: \"nope\" is not a duration: unknown word \"nope\"");
  std::ofstream(path) << "build:\n  script: make\n";
  job = read_gitlab_ci(path, "build", ReadOptions{});
  ASSERT_TRUE(job.ok()) << job.error().message;
  EXPECT_EQ(testing::variable(*job, "CI_CONFIG_PATH"), path);
  unlink(path.c_str());
  rmdir(dir_template);
  EXPECT_FALSE(read_gitlab_ci(path, "build", ReadOptions{}).ok());
}

}  // namespace
}  // namespace burrow::shim::job
