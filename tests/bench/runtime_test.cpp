#include "runner/runtime.hpp"

#include <gtest/gtest.h>

namespace burrow::bench {
namespace {

RuntimeDefaults defaults() {
  RuntimeDefaults d;
  d.burrow = "/bin/true";  // stands in for the built burrow
  d.search_path = "/usr/bin:/bin";
  return d;
}

TEST(Runtime, NameWithPathAndArguments) {
  auto runtime = parse_runtime("mine=/bin/true --debug --log /dev/null", defaults());
  ASSERT_TRUE(runtime) << runtime.error().message;
  EXPECT_EQ(runtime->name, "mine");
  EXPECT_EQ(runtime->path, "/bin/true");
  EXPECT_EQ(runtime->args, (std::vector<std::string>{"--debug", "--log", "/dev/null"}));
  EXPECT_EQ(runtime->command("/run/x", {"state", "id"}),
            (std::vector<std::string>{"/bin/true", "--debug", "--log", "/dev/null", "--root",
                                      "/run/x", "state", "id"}));
}

TEST(Runtime, WellKnownNamesAndTheSearchPath) {
  auto burrow = parse_runtime("burrow", defaults());
  ASSERT_TRUE(burrow);
  EXPECT_EQ(burrow->path, "/bin/true");
  auto sandbox = parse_runtime("burrow-sandbox", defaults());
  ASSERT_TRUE(sandbox);
  EXPECT_EQ(sandbox->path, "/bin/true");
  EXPECT_EQ(sandbox->args, std::vector<std::string>{"--sandbox"});
  auto sh = parse_runtime("sh", defaults());
  ASSERT_TRUE(sh);
  EXPECT_EQ(sh->path, "/usr/bin/sh");
}

TEST(Runtime, CrunHidesCgroup2OnHybridHostsOnly) {
  RuntimeDefaults d = defaults();
  d.hybrid_host = true;
  auto crun = parse_runtime("crun=/bin/true", d);
  ASSERT_TRUE(crun);
  EXPECT_FALSE(crun->hide_cgroup2);  // the binary's name decides, not the label
  // A binary named crun: make one.
  char dir[] = "/tmp/bench-runtime-test.XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/crun";
  ASSERT_EQ(symlink("/bin/true", path.c_str()), 0);
  auto named = parse_runtime("c=" + path, d);
  ASSERT_TRUE(named);
  EXPECT_TRUE(named->hide_cgroup2);
  d.hybrid_host = false;
  EXPECT_FALSE(parse_runtime("c=" + path, d)->hide_cgroup2);
  unlink(path.c_str());
  rmdir(dir);
}

TEST(Runtime, BadInputNamesTheTextAndTheReason) {
  EXPECT_EQ(parse_runtime("bad name=/bin/true", defaults()).error().message,
            "runtime 'bad name=/bin/true': the name must be letters, digits, '-', '_' or '.'");
  EXPECT_EQ(parse_runtime("x=bin/true", defaults()).error().message,
            "runtime 'x=bin/true': the path must be absolute");
  EXPECT_EQ(parse_runtime("x=", defaults()).error().message, "runtime 'x=': no path after '='");
  EXPECT_EQ(parse_runtime("no-such-runtime", defaults()).error().message,
            "runtime 'no-such-runtime': no such binary on /usr/bin:/bin");
  EXPECT_EQ(parse_runtime("x=/nonexistent", defaults()).error().message,
            "runtime 'x=/nonexistent': /nonexistent: No such file or directory");
}

TEST(Runtime, ListsSplitAtCommasAndRefuseDuplicates) {
  auto list = parse_runtimes({"burrow,a=/bin/true", "b=/bin/true -x"}, defaults());
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[2].args, std::vector<std::string>{"-x"});
  EXPECT_EQ(parse_runtimes({"burrow,burrow"}, defaults()).error().message,
            "runtime 'burrow' is named twice");
  EXPECT_EQ(parse_runtimes({","}, defaults()).error().message,
            "no runtime given (--runtimes burrow,runc,...)");
}

}  // namespace
}  // namespace burrow::bench
