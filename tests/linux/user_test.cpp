#include "linux/user.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace burrow::linux {
namespace {

const char* kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "# a comment line:x:1000:1000::/nope:/bin/sh\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "broken line without fields\n"
    "alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n"
    "nohome:x:1001:1001:::/bin/sh\n"
    "badnum:x:10x2:1002::/home/badnum:/bin/sh\n"
    "dup:x:1000:1000::/home/second:/bin/sh\n";

TEST(UserHome, FromPasswdText) {
  EXPECT_EQ(home_from_passwd(kPasswd, 0), "/root");
  EXPECT_EQ(home_from_passwd(kPasswd, 1), "/usr/sbin");
  EXPECT_EQ(home_from_passwd(kPasswd, 1000), "/home/alice");  // first match wins
  EXPECT_EQ(home_from_passwd(kPasswd, 1001), "");
  EXPECT_EQ(home_from_passwd(kPasswd, 1002), std::nullopt);
  EXPECT_EQ(home_from_passwd(kPasswd, 10), std::nullopt);
  EXPECT_EQ(home_from_passwd("", 0), std::nullopt);
}

class UserEnv : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/burrow-passwd-XXXXXX";
    int fd = ::mkstemp(tmpl);
    ASSERT_GE(fd, 0);
    ::close(fd);
    path_ = tmpl;
    std::ofstream(path_) << kPasswd;
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_;
};

TEST_F(UserEnv, AddsHomeOfUid) {
  auto env = environment_with_home({"PATH=/bin", "TERM=xterm"}, 1000, path_);
  EXPECT_EQ(env, (std::vector<std::string>{"PATH=/bin", "TERM=xterm", "HOME=/home/alice"}));
}

TEST_F(UserEnv, KeepsAnExistingHome) {
  auto env = environment_with_home({"HOME=/custom", "PATH=/bin"}, 1000, path_);
  EXPECT_EQ(env, (std::vector<std::string>{"HOME=/custom", "PATH=/bin"}));
  env = environment_with_home({"HOME="}, 1000, path_);
  EXPECT_EQ(env, (std::vector<std::string>{"HOME="}));
}

TEST_F(UserEnv, HomeNameMustMatchExactly) {
  auto env = environment_with_home({"HOMER=simpson"}, 0, path_);
  EXPECT_EQ(env, (std::vector<std::string>{"HOMER=simpson", "HOME=/root"}));
}

TEST_F(UserEnv, FallsBackToSlash) {
  EXPECT_EQ(environment_with_home({}, 4242, path_), (std::vector<std::string>{"HOME=/"}));
  EXPECT_EQ(environment_with_home({}, 1001, path_), (std::vector<std::string>{"HOME=/"}));
  EXPECT_EQ(environment_with_home({}, 0, path_ + ".missing"), (std::vector<std::string>{"HOME=/"}));
}

TEST(UserSetgroups, ReadsProcSelfSetgroups) {
  // The test runner is in the initial user namespace: setgroups is "allow".
  auto allowed = setgroups_allowed();
  ASSERT_TRUE(allowed) << allowed.error().message;
  EXPECT_TRUE(*allowed);
}

}  // namespace
}  // namespace burrow::linux
