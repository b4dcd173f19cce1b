// The probe itself, run directly on the host (no root, no container): its report parses and
// agrees with what the test process knows, and its subcommands behave.
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "harness/command.hpp"
#include "harness/container_test.hpp"
#include "harness/environment.hpp"

namespace integration {
namespace {

using nlohmann::json;

class ProbeOnHost : public ::testing::Test {
 protected:
  void SetUp() override { scratch_ = make_temp_dir("burrow-probe."); }
  void TearDown() override { std::filesystem::remove_all(scratch_); }
  CommandResult probe(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {probe_path()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, scratch_);
  }
  std::string scratch_;
};

TEST_F(ProbeOnHost, ReportHasEveryField) {
  CommandResult result = probe({});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  json report = last_json_line(result.out);
  ASSERT_TRUE(report.is_object()) << result.out;
  for (const char* key :
       {"pid",           "ppid",       "uid",          "euid",         "suid",       "gid",
        "egid",          "sgid",       "groups",       "capabilities", "namespaces", "mounts",
        "hostname",      "domainname", "rlimits",      "env",          "cwd",        "argv",
        "fds",           "umask",      "no_new_privs", "dumpable",     "seccomp",    "cgroup",
        "oom_score_adj", "uid_map",    "gid_map"}) {
    EXPECT_TRUE(report.contains(key)) << key;
  }
  EXPECT_EQ(report["uid"], getuid());
  EXPECT_EQ(report["namespaces"]["net"], *host_namespace_inode("net"));
  EXPECT_EQ(report["rlimits"]["RLIMIT_NOFILE"].size(), 2u);
  EXPECT_FALSE(report["mounts"].empty());
  std::vector<std::string> fds;
  for (const auto& [fd, target] : report["fds"].items()) fds.push_back(fd);
  EXPECT_EQ(fds, (std::vector<std::string>{"0", "1", "2"})) << "the runner passes only stdio";
}

TEST_F(ProbeOnHost, ExitCode) {
  EXPECT_EQ(probe({"exit", "3"}).exit_code, 3);
}

TEST_F(ProbeOnHost, WriteReadStat) {
  std::string path = scratch_ + "/file";
  EXPECT_EQ(last_json_line(probe({"write", path, "text"}).out)["ok"], true);
  EXPECT_EQ(last_json_line(probe({"read", path}).out)["content"], "text");
  json stat = last_json_line(probe({"stat", "/dev/null"}).out);
  EXPECT_EQ(stat["type"], "char");
  EXPECT_EQ(stat["major"], 1);
  EXPECT_EQ(stat["minor"], 3);
  EXPECT_EQ(last_json_line(probe({"read", "/nonexistent"}).out)["errno"], "ENOENT");
}

TEST_F(ProbeOnHost, Sysctl) {
  json value = last_json_line(probe({"sysctl", "kernel.ostype"}).out);
  EXPECT_EQ(value["value"], "Linux") << value.dump();
}

TEST_F(ProbeOnHost, SignalsUntilTerm) {
  Command command({probe_path(), "signals"}, scratch_ + "/signals.out", scratch_ + "/signals.err");
  ASSERT_TRUE(command.wait_for_output("ready", std::chrono::seconds(5)));
  command.send_signal(SIGUSR1);
  ASSERT_TRUE(command.wait_for_output("signal 10", std::chrono::seconds(5)));
  command.send_signal(SIGTERM);
  CommandResult result = command.wait(std::chrono::seconds(5));
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "ready\nsignal 10\nsignal 15\n");
}

TEST_F(ProbeOnHost, SyscallLoopTimesEveryCall) {
  json loop = last_json_line(probe({"syscall-loop", "getppid", "1000"}).out);
  EXPECT_EQ(loop["syscall"], "getppid") << loop.dump();
  EXPECT_EQ(loop["calls"], 1000) << loop.dump();
  EXPECT_EQ(loop["ret"], getpid()) << "the probe's parent is the test" << loop.dump();
  EXPECT_EQ(loop["errno"], nullptr) << loop.dump();
  EXPECT_EQ(loop["same"], true) << loop.dump();
  EXPECT_GT(loop["best_chunk_ns_per_call"].get<double>(), 0.0) << loop.dump();
  EXPECT_LE(loop["best_chunk_ns_per_call"].get<double>(), loop["ns_per_call"].get<double>())
      << "the fastest chunk is no slower than the mean" << loop.dump();
  EXPECT_TRUE(loop.contains("seccomp") && loop.contains("seccomp_filters")) << loop.dump();
  EXPECT_EQ(probe({"syscall-loop", "no_such_call", "10"}).exit_code, 2);
  EXPECT_EQ(probe({"syscall-loop", "getppid", "0"}).exit_code, 2);
}

TEST_F(ProbeOnHost, TimedReportsStatusAndWallTime) {
  json timed = last_json_line(probe({"timed", probe_path(), "sleep", "1"}).out);
  EXPECT_EQ(timed["status"], 0) << timed.dump();
  EXPECT_GE(timed["ns"].get<int64_t>(), 1000000000) << timed.dump();
  EXPECT_LT(timed["ns"].get<int64_t>(), 30000000000) << timed.dump();
  EXPECT_EQ(last_json_line(probe({"timed", probe_path(), "exit", "3"}).out)["status"], 3);
  EXPECT_EQ(last_json_line(probe({"timed", scratch_ + "/missing"}).out)["status"], 127);
}

// Another ABI's calls, made here without a filter: what the kernel answers through each entry.
TEST_F(ProbeOnHost, AbiCallsReachTheKernel) {
  json wide = last_json_line(probe({"abi", "x86_64", "socket:0x100000001:1"}).out);
  EXPECT_EQ(wide["available"], true) << wide;
  EXPECT_EQ(wide["results"]["socket:0x100000001:1"]["domain"], AF_UNIX)
      << "the kernel reads the family as an int: " << wide;
  json i386 =
      last_json_line(probe({"abi", "i386", "getpid", "socket:1:1", "socketcall:8:1:1:0"}).out);
  if (i386["available"] == true) {
    EXPECT_GT(i386["results"]["getpid"]["ret"], 0) << i386;
    EXPECT_EQ(i386["results"]["socket:1:1"]["domain"], AF_UNIX) << i386;
    EXPECT_EQ(i386["results"]["socketcall:8:1:1:0"]["domain"], AF_UNIX) << "socketpair: " << i386;
  } else {
    EXPECT_TRUE(i386["why"].is_string()) << i386;
    EXPECT_TRUE(i386["results"].empty()) << "no call without the entry: " << i386;
  }
  json x32 = last_json_line(probe({"abi", "x32", "getpid"}).out);
  EXPECT_EQ(x32["results"]["getpid"]["errno"],
            x32["available"] == true ? json(nullptr) : json("ENOSYS"))
      << x32;
  EXPECT_EQ(probe({"abi", "frob", "getpid"}).exit_code, 2);
}

TEST_F(ProbeOnHost, UsageErrorIsExit2) {
  EXPECT_EQ(probe({"frobnicate"}).exit_code, 2);
}

}  // namespace
}  // namespace integration
