#include "linux/exec_path.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "process_attrs_child.hpp"

namespace burrow::linux {
namespace {

class ExecPath : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/burrow-exec-path-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    for (const char* sub : {"/a", "/b", "/b/isdir"})
      ASSERT_EQ(::mkdir((dir_ + sub).c_str(), 0755), 0);
    make_file("/a/plain", 0644);  // found first in PATH but not executable
    make_file("/b/plain", 0755);
    make_file("/b/tool", 0755);
    make_file("/a/tool", 0700);  // owner-only: executable for root
    make_file("/b/noexec", 0644);
    ASSERT_EQ(::mkfifo((dir_ + "/b/fifo").c_str(), 0755), 0);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void make_file(const std::string& rel, mode_t mode) {
    int fd = ::open((dir_ + rel).c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, mode);
    ASSERT_GE(fd, 0);
    ::close(fd);
    ASSERT_EQ(::chmod((dir_ + rel).c_str(), mode), 0);
  }
  std::vector<std::string> env_with_path() const {
    return {"TERM=xterm", "PATH=" + dir_ + "/a:" + dir_ + "/b", "HOME=/root"};
  }

  std::string dir_;
};

TEST_F(ExecPath, SearchesPathInOrder) {
  auto path = resolve_executable("plain", env_with_path());
  ASSERT_TRUE(path) << path.error().message;
  EXPECT_EQ(*path, dir_ + "/b/plain");  // a/plain is 0644: skipped
}

TEST_F(ExecPath, FirstExecutableWins) {
  if (::geteuid() != 0) GTEST_SKIP() << "a/tool is 0700 root-owned only when run as root";
  auto path = resolve_executable("tool", env_with_path());
  ASSERT_TRUE(path) << path.error().message;
  EXPECT_EQ(*path, dir_ + "/a/tool");
}

TEST_F(ExecPath, NotFoundWordedLikeRunc) {
  for (const char* name : {"missing", "noexec", "isdir", "fifo"}) {
    auto path = resolve_executable(name, env_with_path());
    ASSERT_FALSE(path) << name;
    EXPECT_EQ(path.error().message,
              std::string("exec: \"") + name + "\": executable file not found in $PATH");
    EXPECT_EQ(path.error().code, ENOENT);
  }
}

TEST_F(ExecPath, SlashedNameIsCheckedNotSearched) {
  auto ok = resolve_executable(dir_ + "/b/tool", {});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(*ok, dir_ + "/b/tool");

  auto denied = resolve_executable(dir_ + "/b/noexec", env_with_path());
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().message, "exec: \"" + dir_ + "/b/noexec\": permission denied");
  EXPECT_EQ(denied.error().code, EACCES);

  auto fifo = resolve_executable(dir_ + "/b/fifo", {});
  ASSERT_FALSE(fifo);
  EXPECT_EQ(fifo.error().message, "exec: \"" + dir_ + "/b/fifo\": permission denied");

  auto directory = resolve_executable(dir_ + "/b/isdir", {});
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().message, "exec: \"" + dir_ + "/b/isdir\": is a directory");
  EXPECT_EQ(directory.error().code, EISDIR);

  auto missing = resolve_executable(dir_ + "/b/missing", {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "exec: \"" + dir_ + "/b/missing\": stat " + dir_ +
                                         "/b/missing: no such file or directory");
  EXPECT_EQ(missing.error().code, ENOENT);
}

TEST_F(ExecPath, TrailingSlashInPathEntry) {
  auto path = resolve_executable("tool", {"PATH=" + dir_ + "/b/"});
  ASSERT_TRUE(path) << path.error().message;
  EXPECT_EQ(*path, dir_ + "/b/tool");
}

TEST_F(ExecPath, LastPathEntryOfEnvWins) {
  auto path = resolve_executable("tool", {"PATH=/nonexistent", "PATH=" + dir_ + "/b"});
  ASSERT_TRUE(path) << path.error().message;
  EXPECT_EQ(*path, dir_ + "/b/tool");
}

TEST_F(ExecPath, RelativePathEntryIsRefused) {
  // An empty PATH element means "."; like Go >= 1.19, a hit there is refused.
  auto result = test::run_in_child([&]() -> std::string {
    if (::chdir((dir_ + "/b").c_str()) < 0) return "chdir failed";
    auto path = resolve_executable("tool", {"PATH=/nonexistent::/nonexistent2"});
    return path ? "found " + *path : path.error().message;
  });
  ASSERT_TRUE(result.exited_cleanly());
  EXPECT_EQ(result.report,
            "exec: \"tool\": cannot run executable found relative to current directory");
}

TEST(ExecPathDefault, NoPathInEnvUsesTheDefault) {
  EXPECT_STREQ(kDefaultPath, "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  if (::access("/usr/local/sbin/sh", F_OK) == 0 || ::access("/usr/local/bin/sh", F_OK) == 0 ||
      ::access("/usr/sbin/sh", F_OK) == 0 || ::access("/usr/bin/sh", X_OK) != 0)
    GTEST_SKIP() << "this machine's sh is not (only) /usr/bin/sh";
  auto path = resolve_executable("sh", {"TERM=xterm"});
  ASSERT_TRUE(path) << path.error().message;
  EXPECT_EQ(*path, "/usr/bin/sh");
}

TEST(ExecPathDefault, EmptyPathFindsNothing) {
  auto path = resolve_executable("sh", {"PATH="});
  ASSERT_FALSE(path);  // an empty PATH has no elements (Go's filepath.SplitList)
  EXPECT_EQ(path.error().message, "exec: \"sh\": executable file not found in $PATH");
}

TEST(ExecPathDefault, EmptyArg0) {
  auto path = resolve_executable("", {});
  ASSERT_FALSE(path);
  EXPECT_EQ(path.error().message, "exec: \"\": executable file not found in $PATH");
}

TEST(ExecPathEnv, FindEnv) {
  std::vector<std::string> env = {"PATHX=1", "PATH=/a", "PAT=2", "PATH=/b"};
  EXPECT_EQ(find_env(env, "PATH"), "/b");
  EXPECT_EQ(find_env(env, "PAT"), "2");
  EXPECT_EQ(find_env(env, "HOME"), std::nullopt);
  EXPECT_EQ(find_env({"HOME="}, "HOME"), "");  // set but empty
}

// The fallback when faccessat2 is refused (an old seccomp profile: EPERM): execute bits for the
// effective ids, as Go's exec.LookPath judges them.
TEST(ExecPathModeBits, OwnerGroupOthersAndRoot) {
  struct stat st {};
  st.st_mode = S_IFREG | 0750;
  st.st_uid = 1000;
  st.st_gid = 100;
  EXPECT_TRUE(executable_by_mode(st, 1000, 1000, {}));        // owner: u+x
  EXPECT_TRUE(executable_by_mode(st, 2000, 100, {}));         // primary group: g+x
  EXPECT_TRUE(executable_by_mode(st, 2000, 2000, {7, 100}));  // supplementary group
  EXPECT_FALSE(executable_by_mode(st, 2000, 2000, {7}));      // others: no o+x
  EXPECT_TRUE(executable_by_mode(st, 0, 0, {}));              // root: any x bit
  st.st_mode = S_IFREG | 0644;
  EXPECT_FALSE(executable_by_mode(st, 0, 0, {}));  // root too needs one
  st.st_mode = S_IFREG | 0601;
  EXPECT_FALSE(executable_by_mode(st, 1000, 1000, {}));  // the owner's bits decide, not others'
  EXPECT_TRUE(executable_by_mode(st, 3000, 3000, {}));
}

}  // namespace
}  // namespace burrow::linux
