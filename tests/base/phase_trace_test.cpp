#include "base/phase_trace.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

namespace burrow {
namespace {

class PhaseTraceTest : public ::testing::Test {
 protected:
  void TearDown() override { ::unsetenv("BURROW_TRACE"); }
};

TEST_F(PhaseTraceTest, OffWithoutTheVariable) {
  ::unsetenv("BURROW_TRACE");
  PhaseTrace trace = PhaseTrace::from_env("create c1");
  EXPECT_FALSE(trace.enabled());
  trace.mark("anything");
  EXPECT_EQ(trace.format(), "");
}

// A forked child's marks land in the parent's table, in time order with the parent's.
TEST_F(PhaseTraceTest, MarksOfAForkedChildAreInTheTable) {
  char sink[] = "/tmp/burrow-trace-test-XXXXXX";
  int fd = ::mkstemp(sink);
  ASSERT_GE(fd, 0);
  ::close(fd);
  ::setenv("BURROW_TRACE", sink, 1);
  {
    PhaseTrace trace = PhaseTrace::from_env("create c1");
    ASSERT_TRUE(trace.enabled());
    trace.mark("parent first");
    pid_t child = ::fork();
    if (child == 0) {
      trace.mark("child step");
      ::_exit(0);
    }
    ASSERT_GT(child, 0);
    ASSERT_EQ(::waitpid(child, nullptr, 0), child);
    trace.mark("parent last");
    std::string text = trace.format();
    EXPECT_EQ(text.rfind("burrow trace: create c1 (pid " + std::to_string(::getpid()) + ")\n", 0),
              0u)
        << text;
    size_t first = text.find("parent first"), step = text.find("child step"),
           last = text.find("parent last");
    ASSERT_NE(step, std::string::npos) << text;
    EXPECT_LT(first, step);
    EXPECT_LT(step, last);
    EXPECT_NE(text.find(" " + std::to_string(child) + "  child step"), std::string::npos) << text;
    EXPECT_NE(text.find(" ms in all\n"), std::string::npos) << text;
  }
  // The owner wrote the table to the sink when the trace ended.
  FILE* written = std::fopen(sink, "r");
  ASSERT_NE(written, nullptr);
  char line[256] = {};
  ASSERT_NE(std::fgets(line, sizeof line, written), nullptr);
  std::fclose(written);
  ::unlink(sink);
  EXPECT_EQ(std::string(line).rfind("burrow trace: create c1", 0), 0u) << line;
}

}  // namespace
}  // namespace burrow
