#include <gtest/gtest.h>

#include "job/gitlab_ci.hpp"

namespace burrow::shim::job {
namespace {

TEST(GitlabCiSmoke, ReadsASimpleJob) {
  auto job = parse_gitlab_ci("build:\n  image: alpine\n  script: echo hi\n", ".gitlab-ci.yml",
                             "build", ReadOptions{});
  ASSERT_TRUE(job.ok()) << job.error().message;
  EXPECT_EQ(job->image.name, "alpine");
  EXPECT_EQ(job->script, std::vector<std::string>{"echo hi"});
}

}  // namespace
}  // namespace burrow::shim::job
