// The container process as the probe sees it: ids, groups, umask, env, cwd, rlimits,
// no_new_privs, oom_score_adj, hostname/domainname, inherited fds.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;
using ProcessTest = ContainerTest;

TEST_F(ProcessTest, UserUidGidAndAdditionalGids) {
  json report = probe_report([](json& c) {
    c["process"]["user"] = {{"uid", 1000}, {"gid", 1000}, {"additionalGids", {10, 20}}};
  });
  ASSERT_TRUE(report.is_object());
  for (const char* key : {"uid", "euid", "suid"}) EXPECT_EQ(report[key], 1000) << key;
  for (const char* key : {"gid", "egid", "sgid"}) EXPECT_EQ(report[key], 1000) << key;
  auto groups = report["groups"].get<std::vector<int>>();
  EXPECT_NE(std::find(groups.begin(), groups.end(), 10), groups.end());
  EXPECT_NE(std::find(groups.begin(), groups.end(), 20), groups.end());
  EXPECT_EQ(std::find(groups.begin(), groups.end(), 0), groups.end()) << "root group kept";
}

TEST_F(ProcessTest, RootByDefault) {
  json report = probe_report();
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["uid"], 0);
  EXPECT_EQ(report["gid"], 0);
  EXPECT_EQ(report["pid"], 1) << "the process is the pid namespace's init";
}

TEST_F(ProcessTest, Umask) {
  json report = probe_report([](json& c) { c["process"]["user"]["umask"] = 027; });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["umask"], 027);
}

TEST_F(ProcessTest, DefaultUmaskIs0022) {
  json report = probe_report();
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["umask"], 022);
}

TEST_F(ProcessTest, EnvIsTheSpecsEnv) {
  json report =
      probe_report([](json& c) { c["process"]["env"].push_back("GREETING=hello world"); });
  ASSERT_TRUE(report.is_object());
  auto env = report["env"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(env.begin(), env.end(), "GREETING=hello world"), env.end());
  EXPECT_NE(std::find(env.begin(), env.end(), "TERM=xterm"), env.end());
  for (const auto& var : env) {
    EXPECT_NE(var.rfind("LD_", 0), 0u) << "host variable leaked: " << var;
  }
}

TEST_F(ProcessTest, ArgsArePassed) {
  json report = probe_report([](json& c) { c["process"]["args"] = {"/probe", "report"}; });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["argv"], json({"/probe", "report"}));
}

TEST_F(ProcessTest, Cwd) {
  json report = probe_report([](json& c) { c["process"]["cwd"] = "/tmp"; });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["cwd"], "/tmp");
}

TEST_F(ProcessTest, Rlimits) {
  json report = probe_report([](json& c) {
    c["process"]["rlimits"] = {{{"type", "RLIMIT_NOFILE"}, {"soft", 512}, {"hard", 2048}},
                               {{"type", "RLIMIT_CORE"}, {"soft", 0}, {"hard", 0}},
                               {{"type", "RLIMIT_NPROC"}, {"soft", 100}, {"hard", 200}}};
  });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["rlimits"]["RLIMIT_NOFILE"], json({{"soft", 512}, {"hard", 2048}}));
  EXPECT_EQ(report["rlimits"]["RLIMIT_CORE"], json({{"soft", 0}, {"hard", 0}}));
  EXPECT_EQ(report["rlimits"]["RLIMIT_NPROC"], json({{"soft", 100}, {"hard", 200}}));
}

TEST_F(ProcessTest, NoNewPrivileges) {
  json on = probe_report([](json& c) { c["process"]["noNewPrivileges"] = true; });
  ASSERT_TRUE(on.is_object());
  EXPECT_EQ(on["no_new_privs"], 1);
}

TEST_F(ProcessTest, NoNewPrivilegesOff) {
  json off = probe_report([](json& c) { c["process"]["noNewPrivileges"] = false; });
  ASSERT_TRUE(off.is_object());
  EXPECT_EQ(off["no_new_privs"], 0);
}

TEST_F(ProcessTest, OomScoreAdjRaised) {
  json report = probe_report([](json& c) { c["process"]["oomScoreAdj"] = 500; });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["oom_score_adj"], 500);
}

// Whether this host lets root lower oom_score_adj below 0 (these machines do not: the bounding
// set lacks CAP_SYS_RESOURCE). Tried in a child so the test process keeps its own value.
bool host_can_lower_oom_score_adj() {
  pid_t child = fork();
  if (child == 0) {
    int fd = open("/proc/self/oom_score_adj", O_WRONLY);
    _exit(fd >= 0 && write(fd, "-500", 4) == 4 ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST_F(ProcessTest, OomScoreAdjBelowZeroFollowsTheHost) {
  auto tweak = [](json& c) { c["process"]["oomScoreAdj"] = -500; };
  if (host_can_lower_oom_score_adj()) {
    json report = probe_report(tweak);
    ASSERT_TRUE(report.is_object());
    EXPECT_EQ(report["oom_score_adj"], -500);
  } else {
    CommandResult result = run_container(tweak);
    EXPECT_NE(result.exit_code, 0) << "lowering oom_score_adj must fail here\n"
                                   << result.describe();
  }
}

TEST_F(ProcessTest, Hostname) {
  json report = probe_report([](json& c) { c["hostname"] = "box"; });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["hostname"], "box");
}

// Intentional difference: runc 1.1 (runtime-spec 1.0.2) ignores domainname; burrow sets it.
TEST_F(ProcessTest, Domainname) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "runc 1.1 ignores domainname (burrow sets it)";
  json report = probe_report([](json& c) { c["domainname"] = "example.test"; });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["domainname"], "example.test");
}

TEST_F(ProcessTest, OnlyStdioFdsAtExec) {
  json report = probe_report();
  ASSERT_TRUE(report.is_object());
  std::vector<std::string> fds;
  for (const auto& [fd, target] : report["fds"].items()) fds.push_back(fd);
  EXPECT_EQ(fds, (std::vector<std::string>{"0", "1", "2"})) << report["fds"].dump();
}

// The caller holds fds 3, 4 and 5 open; --preserve-fds 2 passes exactly 3 and 4 on.
TEST_F(ProcessTest, PreserveFdsPassesExactlyThoseFds) {
  write_config();
  CommandResult result = run_command(
      {"sh", "-c", "exec 3</dev/null 4</dev/null 5</dev/null; exec \"$@\"", "sh", runtime_path(),
       "--root", state_root_, "run", "--preserve-fds", "2", "--bundle", bundle_, id_},
      work_);
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  json report = last_json_line(result.out);
  ASSERT_TRUE(report.is_object()) << result.describe();
  std::vector<std::string> fds;
  for (const auto& [fd, target] : report["fds"].items()) fds.push_back(fd);
  EXPECT_EQ(fds, (std::vector<std::string>{"0", "1", "2", "3", "4"})) << report["fds"].dump();
  EXPECT_EQ(report["fds"]["3"], "/dev/null");
}

// Asked to preserve fds the caller does not have: refused before burrow opens anything (else
// one of its own fds would take the free number and reach the container).
TEST_F(ProcessTest, PreserveFdsOfClosedFdsIsRefused) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "burrow's own check and message";
  write_config();
  CommandResult result =
      run_command({"sh", "-c", "exec 3</dev/null; exec \"$@\"", "sh", runtime_path(), "--root",
                   state_root_, "run", "--preserve-fds", "2", "--bundle", bundle_, id_},
                  work_);
  EXPECT_EQ(result.exit_code, 1) << result.describe();
  EXPECT_NE(result.err.find("--preserve-fds 2: fd 4 is not open"), std::string::npos)
      << result.describe();
  EXPECT_FALSE(std::filesystem::exists(state_root_ + "/" + id_));
}

TEST_F(ProcessTest, NotDumpableIsNotForcedOnTheWorkload) {
  json report = probe_report();
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["dumpable"], 1) << "execve of a readable binary makes the process dumpable";
}

TEST_F(ProcessTest, NoSeccompUnlessAsked) {
  json report = probe_report();
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["seccomp"], 0);
}

}  // namespace
}  // namespace integration
