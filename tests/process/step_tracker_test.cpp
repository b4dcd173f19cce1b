#include "process/step_tracker.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <utility>

namespace burrow::process {
namespace {

StepTracker make_tracker() {
  auto t = StepTracker::make();
  EXPECT_TRUE(t.ok()) << t.error().message;
  return std::move(t).value();
}

TEST(StepTracker, StartsEmptyAndRecordsTheLastStep) {
  StepTracker t = make_tracker();
  EXPECT_EQ(t.current(), "");
  t.enter("join namespaces");
  EXPECT_EQ(t.current(), "join namespaces");
  t.enter("mount");  // shorter than the previous: no tail left over
  EXPECT_EQ(t.current(), "mount");
}

TEST(StepTracker, ForkedChildsStepIsVisibleToTheParent) {
  StepTracker t = make_tracker();
  t.enter("clone");
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    t.enter("pivot_root");
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(t.current(), "pivot_root");
}

TEST(StepTracker, LongNamesAreTruncatedSafely) {
  StepTracker t = make_tracker();
  std::string longer(300, 'a');
  for (size_t i = 0; i < longer.size(); ++i) longer[i] = static_cast<char>('a' + i % 26);
  t.enter(longer.c_str());
  EXPECT_EQ(t.current(), longer.substr(0, 127));
  t.enter("short");
  EXPECT_EQ(t.current(), "short");
  std::string exact(127, 'x');
  t.enter(exact.c_str());
  EXPECT_EQ(t.current(), exact);
}

TEST(StepTracker, DefaultAndMovedFromAreInert) {
  StepTracker none;
  none.enter("ignored");
  EXPECT_EQ(none.current(), "");

  StepTracker a = make_tracker();
  a.enter("cgroups");
  StepTracker b(std::move(a));
  EXPECT_EQ(b.current(), "cgroups");
  EXPECT_EQ(a.current(), "");  // NOLINT(bugprone-use-after-move): moved-from is inert
  a.enter("nothing");

  StepTracker c = make_tracker();
  c = std::move(b);
  EXPECT_EQ(c.current(), "cgroups");
  // A forked child still shares the page of the moved-to tracker.
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    c.enter("exec");
    ::_exit(0);
  }
  ASSERT_EQ(::waitpid(pid, nullptr, 0), pid);
  EXPECT_EQ(c.current(), "exec");
}

}  // namespace
}  // namespace burrow::process
