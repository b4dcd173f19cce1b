#include "cgroups/delegation.hpp"

#include <gtest/gtest.h>

namespace burrow::cgroups {
namespace {

using Files = std::vector<std::string>;

TEST(DelegationAnnotation, TrueFalseOrAbsent) {
  EXPECT_FALSE(*delegation_requested({}));
  EXPECT_FALSE(*delegation_requested({{"run.burrow.network", "pasta"}}));
  EXPECT_TRUE(*delegation_requested({{"run.burrow.cgroup.delegate", "true"}}));
  EXPECT_FALSE(*delegation_requested({{"run.burrow.cgroup.delegate", "false"}}));
}

TEST(DelegationAnnotation, BadValueOrUnknownKeyNamesIt) {
  auto maybe = delegation_requested({{"run.burrow.cgroup.delegate", "maybe"}});
  ASSERT_FALSE(maybe.ok());
  EXPECT_EQ(maybe.error().message,
            "annotation run.burrow.cgroup.delegate: invalid value \"maybe\": want true or false");
  auto typo = delegation_requested({{"run.burrow.cgroup.delegated", "true"}});
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.error().message,
            "annotation run.burrow.cgroup.delegated: unknown (known: run.burrow.cgroup.delegate)");
}

TEST(DelegatedFiles, V1) {
  EXPECT_EQ(delegated_files(false, "cgroup.procs\n"),
            (Files{"cgroup.procs", "tasks", "cgroup.clone_children"}));
}

// The kernel's list, without anything that is not known to be safe (a limit in a future or
// patched kernel's list would let the container raise it).
TEST(DelegatedFiles, V2FromTheKernelsListNeverALimit) {
  EXPECT_EQ(delegated_files(true,
                            "cgroup.procs\ncgroup.threads\ncgroup.subtree_control\n"
                            "memory.oom.group\nmemory.reclaim\nmemory.max\npids.max\n"),
            (Files{"cgroup.procs", "cgroup.threads", "cgroup.subtree_control", "memory.oom.group",
                   "memory.reclaim"}));
  EXPECT_EQ(delegated_files(true, ""),
            (Files{"cgroup.procs", "cgroup.threads", "cgroup.subtree_control"}));
}

}  // namespace
}  // namespace burrow::cgroups
