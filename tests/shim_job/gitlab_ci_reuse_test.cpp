// default:/inherit:, extends, anchors and merge keys, !reference — including cases written in
// the spirit of GitLab's documentation examples.
#include <gtest/gtest.h>

#include "helpers.hpp"

namespace burrow::shim::job {
namespace {

using testing::lines;
using testing::read_error;
using testing::read_job;
using testing::variable;

TEST(GitlabCiDefault, JobsInheritUnlessTheySetTheKey) {
  const std::string yaml = R"(
default:
  image: ruby:3.0
  services: [postgres:16]
  before_script: [bundle install]
  after_script: [echo done]
  timeout: 30m
rspec:
  script: bundle exec rspec
rspec 2.7:
  image: ruby:2.7
  services: []
  timeout: 2h
  script: bundle exec rspec
)";
  Job rspec = read_job(yaml, "rspec");
  EXPECT_EQ(rspec.image.name, "ruby:3.0");
  ASSERT_EQ(rspec.services.size(), 1u);
  EXPECT_EQ(rspec.services[0].image.name, "postgres:16");
  EXPECT_EQ(rspec.before_script, lines({"bundle install"}));
  EXPECT_EQ(rspec.after_script, lines({"echo done"}));
  EXPECT_EQ(rspec.timeout.count(), 1800);
  Job old = read_job(yaml, "rspec 2.7");
  EXPECT_EQ(old.image.name, "ruby:2.7");
  EXPECT_TRUE(old.services.empty());
  EXPECT_EQ(old.before_script, lines({"bundle install"}));
  EXPECT_EQ(old.timeout.count(), 7200);
}

TEST(GitlabCiDefault, NullInAJobMeansUnsetSoTheDefaultApplies) {
  Job job = read_job("default: {image: alpine}\nbuild:\n  image:\n  script: x\n", "build");
  EXPECT_EQ(job.image.name, "alpine");
}

TEST(GitlabCiDefault, DeprecatedTopLevelFormsActAsDefaults) {
  Job job = read_job("image: alpine\nbefore_script: [setup]\nbuild: {script: x}\n", "build");
  EXPECT_EQ(job.image.name, "alpine");
  EXPECT_EQ(job.before_script, lines({"setup"}));
  EXPECT_EQ(read_error("image: a\ndefault: {image: b}\nbuild: {script: x}\n"),
            ".gitlab-ci.yml: image is defined both at the top level and in default:");
}

TEST(GitlabCiDefault, Errors) {
  EXPECT_EQ(read_error("default: {script: x}\nbuild: {script: x}\n"),
            ".gitlab-ci.yml: default: unknown keys: script");
  EXPECT_EQ(read_error("default: {image: [x]}\nbuild: {script: x}\n"),
            ".gitlab-ci.yml: default.image: expected an image name or a map, got a sequence");
  EXPECT_EQ(read_error("default: {timeout: forever}\nbuild: {script: x}\n"),
            ".gitlab-ci.yml: default.timeout: \"forever\" is not a duration: unknown word "
            "\"forever\"");
}

TEST(GitlabCiInherit, DefaultFalseOrAList) {
  const std::string yaml = R"(
default:
  image: 'ruby:3.0'
  before_script: [echo Hello World]
  retry: 2
job1:
  script: x
  inherit:
    default: false
job2:
  script: x
  inherit:
    default: [image, retry]
)";
  Job job1 = read_job(yaml, "job1");
  EXPECT_EQ(job1.image.name, "");
  EXPECT_TRUE(job1.before_script.empty());
  EXPECT_TRUE(job1.ignored_keywords.empty());
  Job job2 = read_job(yaml, "job2");
  EXPECT_EQ(job2.image.name, "ruby:3.0");
  EXPECT_TRUE(job2.before_script.empty());
  EXPECT_EQ(job2.ignored_keywords, lines({"retry"}));
}

TEST(GitlabCiInherit, Errors) {
  EXPECT_EQ(read_error("build:\n  script: x\n  inherit: {default: [script]}\n"),
            ".gitlab-ci.yml: build.inherit.default: not default keywords: script");
  EXPECT_EQ(read_error("build:\n  script: x\n  inherit: {variables: maybe}\n"),
            ".gitlab-ci.yml: build.inherit.variables: expected true, false or a list of names, "
            "got a string");
  EXPECT_EQ(read_error("build:\n  script: x\n  inherit: {stages: false}\n"),
            ".gitlab-ci.yml: build.inherit: unknown keys: stages");
}

TEST(GitlabCiExtends, DocumentationExampleDeepMergesAndTheJobWins) {
  Job job = read_job(R"(
.tests:
  stage: test
  image: ruby:3.0
  variables:
    RAILS_ENV: test
    DB: postgres
  only:
    refs: [branches]
rspec:
  extends: .tests
  script: rake rspec
  variables:
    DB: mysql
  only:
    variables: [$RSPEC]
)",
                     "rspec");
  EXPECT_EQ(job.stage, "test");
  EXPECT_EQ(job.image.name, "ruby:3.0");
  EXPECT_EQ(job.script, lines({"rake rspec"}));
  EXPECT_EQ(variable(job, "RAILS_ENV"), "test");
  EXPECT_EQ(variable(job, "DB"), "mysql");
  EXPECT_EQ(job.ignored_keywords, lines({"only"}));
}

TEST(GitlabCiExtends, MultipleParentsLaterWinsAndListsAreReplaced) {
  Job job = read_job(R"(
.one:
  image: one
  script: [echo one, echo one again]
  variables: {A: one, B: one}
.two:
  image: two
  before_script: [echo two]
  variables: {B: two}
build:
  extends: [.one, .two]
  script: [echo mine]
)",
                     "build");
  EXPECT_EQ(job.image.name, "two");
  EXPECT_EQ(job.script, lines({"echo mine"}));
  EXPECT_EQ(job.before_script, lines({"echo two"}));
  EXPECT_EQ(variable(job, "A"), "one");
  EXPECT_EQ(variable(job, "B"), "two");
}

TEST(GitlabCiExtends, MultiLevelFromHiddenAndVisibleJobs) {
  Job job = read_job(R"(
.base:
  image: base
  variables: {LEVEL: base}
  before_script: [echo base]
.middle:
  extends: .base
  variables: {LEVEL: middle}
test:
  extends: .middle
  script: [echo test]
deploy:
  extends: test
  stage: deploy
)",
                     "deploy");
  EXPECT_EQ(job.image.name, "base");
  EXPECT_EQ(job.stage, "deploy");
  EXPECT_EQ(job.script, lines({"echo test"}));
  EXPECT_EQ(job.before_script, lines({"echo base"}));
  EXPECT_EQ(variable(job, "LEVEL"), "middle");
}

std::string chain(int levels) {
  // j0 extends .l1 ... extends .l<levels>; the last has the script.
  std::string yaml = "j0:\n  extends: .l1\n";
  for (int i = 1; i < levels; ++i) {
    yaml += ".l" + std::to_string(i) + ":\n  extends: .l" + std::to_string(i + 1) + "\n";
  }
  yaml += ".l" + std::to_string(levels) + ":\n  script: [deep]\n";
  return yaml;
}

TEST(GitlabCiExtends, ElevenLevelsAreAllowedTwelveAreNot) {
  EXPECT_EQ(read_job(chain(11), "j0").script, lines({"deep"}));
  EXPECT_EQ(read_error(chain(12), "j0"),
            ".gitlab-ci.yml: .l11.extends: nesting too deep (j0 -> .l1 -> .l2 -> .l3 -> .l4 -> "
            ".l5 -> .l6 -> .l7 -> .l8 -> .l9 -> .l10 -> .l11 -> .l12): GitLab allows 11 levels "
            "of extends");
}

TEST(GitlabCiExtends, Errors) {
  EXPECT_EQ(read_error("build:\n  extends: .missing\n  script: x\n"),
            ".gitlab-ci.yml: build.extends: '.missing' is not defined in this file");
  EXPECT_EQ(
      read_error(".a: {extends: .b}\n.b: {extends: .a}\nbuild:\n  extends: .a\n  script: x\n"),
      ".gitlab-ci.yml: .a.extends: circular dependency (.a -> .b -> .a)");
  EXPECT_EQ(read_error("build:\n  extends: build\n  script: x\n"),
            ".gitlab-ci.yml: build.extends: circular dependency (build -> build)");
  EXPECT_EQ(read_error(".list: [a]\nbuild:\n  extends: .list\n  script: x\n"),
            ".gitlab-ci.yml: build.extends: '.list' is not a map (got a sequence)");
  EXPECT_EQ(read_error("build:\n  extends: {a: b}\n  script: x\n"),
            ".gitlab-ci.yml: build.extends: expected a name or a list of names, got a map");
}

TEST(GitlabCiAnchors, DocumentationExampleWithMergeKeys) {
  const std::string yaml = R"(
.job_template: &job_configuration
  image: ruby:2.6
  services:
    - postgres
    - redis
test1:
  <<: *job_configuration
  script:
    - test1 project
test2:
  <<: *job_configuration
  image: ruby:3.0
  script:
    - test2 project
)";
  Job test1 = read_job(yaml, "test1");
  EXPECT_EQ(test1.image.name, "ruby:2.6");
  ASSERT_EQ(test1.services.size(), 2u);
  EXPECT_EQ(test1.services[1].image.name, "redis");
  EXPECT_EQ(test1.script, lines({"test1 project"}));
  EXPECT_EQ(read_job(yaml, "test2").image.name, "ruby:3.0");
}

TEST(GitlabCiAnchors, MergeKeyListsAndAnchoredVariables) {
  Job job = read_job(R"(
.vars_a: &vars_a {A: a, SHARED: from-a}
.vars_b: &vars_b {B: b, SHARED: from-b}
build:
  variables:
    <<: [*vars_a, *vars_b]
    C: c
  script: x
)",
                     "build");
  EXPECT_EQ(variable(job, "A"), "a");
  EXPECT_EQ(variable(job, "B"), "b");
  EXPECT_EQ(variable(job, "SHARED"), "from-a") << "in a merge list, earlier maps win";
  EXPECT_EQ(variable(job, "C"), "c");
}

TEST(GitlabCiAnchors, MergeOverwritesKeysBeforeItAsPsychDoes) {
  Job job = read_job("build:\n  image: mine\n  <<: {image: merged}\n  script: x\n", "build");
  EXPECT_EQ(job.image.name, "merged");
}

TEST(GitlabCiReference, DocumentationExampleScripts) {
  const std::string yaml = R"(
.setup:
  script:
    - echo creating environment
.teardown:
  after_script:
    - echo deleting environment
test:
  script:
    - !reference [.setup, script]
    - echo running my own command
  after_script:
    - !reference [.teardown, after_script]
)";
  Job job = read_job(yaml, "test");
  EXPECT_EQ(job.script, lines({"echo creating environment", "echo running my own command"}));
  EXPECT_EQ(job.after_script, lines({"echo deleting environment"}));
}

TEST(GitlabCiReference, NestedReferences) {
  Job job = read_job(R"(
.snippets:
  one:
    - echo ONE
  two:
    - !reference [.snippets, one]
    - echo TWO
  three:
    - !reference [.snippets, two]
    - echo THREE
nested:
  script:
    - !reference [.snippets, three]
)",
                     "nested");
  EXPECT_EQ(job.script, lines({"echo ONE", "echo TWO", "echo THREE"}));
}

TEST(GitlabCiReference, VariablesImageServicesAndExtendedTargets) {
  Job job = read_job(R"(
.vars:
  variables:
    URL: http://example.com
    USER: admin
.base:
  image: alpine
  services: [redis]
.child:
  extends: .base
build:
  image: !reference [.child, image]
  services: !reference [.base, services]
  variables:
    URL: !reference [.vars, variables, URL]
  script: x
)",
                     "build");
  EXPECT_EQ(job.image.name, "alpine") << "a reference sees the target after extends";
  ASSERT_EQ(job.services.size(), 1u);
  EXPECT_EQ(variable(job, "URL"), "http://example.com");
  EXPECT_EQ(variable(job, "USER"), "<unset>");
}

TEST(GitlabCiReference, Errors) {
  EXPECT_EQ(read_error("build:\n  script:\n    - !reference [.setup, script]\n"),
            ".gitlab-ci.yml: build.script[0]: !reference [\".setup\", \"script\"] could not be "
            "found");
  EXPECT_EQ(read_error(".s: {script: x}\nbuild:\n  script: [!reference [.s, script, \"0\"]]\n"),
            ".gitlab-ci.yml: build.script[0]: !reference [\".s\", \"script\", \"0\"] could not be "
            "found");
  EXPECT_EQ(read_error(R"(
job-1:
  script:
    - echo one
    - !reference [job-3, script]
job-3:
  script:
    - !reference [job-1, script]
)",
                       "job-1"),
            ".gitlab-ci.yml: job-1.script[1]: !reference [\"job-3\", \"script\"] is part of a "
            "circular chain");
  EXPECT_EQ(read_error("build:\n  script: [!reference [build, 1]]\n"),
            ".gitlab-ci.yml: build.script[0]: !reference [\"build\", \"1\"] is not valid: "
            "expected a list of names like [.job, script]")
      << "names are strings; an unquoted 1 is an integer";
}

TEST(GitlabCiReference, TenNestedLevelsAreAllowedElevenAreNot) {
  // .r.l<i> refers to .r.l<i-1>: a reference to l<n> is a chain of n + 1 references.
  auto levels = [](int count) {
    std::string yaml = ".r:\n  l0: alpine\n";
    for (int i = 1; i <= count; ++i) {
      yaml += "  l" + std::to_string(i) + ": !reference [.r, l" + std::to_string(i - 1) + "]\n";
    }
    return yaml + "build:\n  image: !reference [.r, l" + std::to_string(count) + "]\n  script: x\n";
  };
  EXPECT_EQ(read_job(levels(9), "build").image.name, "alpine");
  EXPECT_EQ(read_error(levels(10)),
            ".gitlab-ci.yml: .r.l1: !reference [\".r\", \"l0\"] nests more than 10 levels of "
            "!reference");
}

}  // namespace
}  // namespace burrow::shim::job
