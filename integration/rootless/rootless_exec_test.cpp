// burrow exec by the unprivileged test user into its rootless container: the process joins every
// namespace of the init (the user namespace included), runs as container root, which the host
// sees as the caller; its exit code passes through; -d with --pid-file and -t on a terminal.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <thread>

#include "harness/container_test.hpp"
#include "harness/environment.hpp"
#include "harness/network.hpp"
#include "harness/terminal.hpp"
#include "rootless/rootless_fixture.hpp"

namespace integration {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class RootlessExecTest : public RootlessTest {
 protected:
  void start_sleeper() {
    write_config(sleeping(rootless_config(rootfs_, id_)));
    CommandResult run = runtime({"run", "-d", "--bundle", bundle_, id_});
    ASSERT_EQ(run.exit_code, 0) << run.describe();
    init_ = init_pid();
    ASSERT_GT(init_, 0);
  }

  CommandResult exec(const std::vector<std::string>& flags,
                     const std::vector<std::string>& command) {
    std::vector<std::string> args{"exec"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(id_);
    args.insert(args.end(), command.begin(), command.end());
    return runtime(args);
  }

  int init_ = -1;
};

TEST_F(RootlessExecTest, JoinsEveryNamespaceOfTheInit) {
  ASSERT_NO_FATAL_FAILURE(start_sleeper());
  CommandResult result = exec({}, {"/probe"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  json report = last_json_line(result.out);
  ASSERT_TRUE(report.is_object()) << result.describe();
  for (const char* ns : {"cgroup", "ipc", "mnt", "net", "pid", "user", "uts"}) {
    auto theirs = inode_of("/proc/" + std::to_string(init_) + "/ns/" + ns);
    ASSERT_TRUE(theirs) << ns;
    EXPECT_EQ(report["namespaces"][ns], *theirs) << ns;
  }
  // Not the host's user namespace: the init's own, which maps root to the caller.
  EXPECT_NE(report["namespaces"]["user"], *host_namespace_inode("user"));
  EXPECT_NE(report["pid"], 1) << "the init is pid 1; the exec'd process is another";
  EXPECT_EQ(report["uid"], 0);
  EXPECT_EQ(report["gid"], 0);
  EXPECT_EQ(squeeze_blanks(report["uid_map"].get<std::string>()),
            " 0 " + std::to_string(getuid()) + " 1\n");
  EXPECT_EQ(squeeze_blanks(report["gid_map"].get<std::string>()),
            " 0 " + std::to_string(getgid()) + " 1\n");
}

TEST_F(RootlessExecTest, ExitCodePassesThrough) {
  ASSERT_NO_FATAL_FAILURE(start_sleeper());
  EXPECT_EQ(exec({}, {"/probe", "exit", "7"}).exit_code, 7);
  EXPECT_EQ(exec({}, {"/bin/sh", "-c", "kill -9 $$"}).exit_code, 128 + 9);
  EXPECT_EQ(exec({}, {"true"}).exit_code, 0) << "resolved through the container's PATH";
  CommandResult missing = exec({}, {"nope"});
  EXPECT_EQ(missing.exit_code, 255) << missing.describe();
  // (The quotes around "nope" are escaped in burrow's log line: look for the rest.)
  EXPECT_NE(missing.err.find("exec failed: unable to start container process: exec: "),
            std::string::npos)
      << missing.describe();
  EXPECT_NE(missing.err.find("executable file not found in $PATH"), std::string::npos)
      << missing.describe();
}

// Detached: the host sees the exec'd process as the caller, in the init's namespaces.
TEST_F(RootlessExecTest, DetachedWithPidFileRunsAsTheCaller) {
  ASSERT_NO_FATAL_FAILURE(start_sleeper());
  std::string pid_file = work_ + "/exec.pid";
  CommandResult result = exec({"-d", "--pid-file", pid_file}, {"/probe", "sleep", "100"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  int pid = std::stoi(read_text(pid_file));
  const std::string cmdline_path = "/proc/" + std::to_string(pid) + "/cmdline";
  const std::string wanted = std::string("/probe") + '\0' + "sleep" + '\0' + "100" + '\0';
  // burrow returns once the process has exec'd; runc 1.1 may return while its init still runs.
  for (int i = 0; i < 250 && !runtime_is_burrow() && read_text(cmdline_path) != wanted; ++i)
    std::this_thread::sleep_for(20ms);
  ASSERT_EQ(read_text(cmdline_path), wanted);
  EXPECT_EQ(host_uid_of(pid), static_cast<long>(getuid()));
  EXPECT_EQ(host_uid_of(pid, "Gid:"), static_cast<long>(getgid()));
  for (const char* ns : {"mnt", "pid", "user"}) {
    std::string suffix = std::string("/ns/") + ns;
    EXPECT_EQ(inode_of("/proc/" + std::to_string(pid) + suffix),
              inode_of("/proc/" + std::to_string(init_) + suffix))
        << ns;
  }
  // Killing the init ends its pid namespace, and the exec'd process with it.
  std::optional<uint64_t> start_time = process_start_time(pid);
  ASSERT_TRUE(start_time);
  ASSERT_TRUE(process_alive(pid, *start_time));
  CommandResult killed = runtime({"kill", id_, "KILL"});
  EXPECT_EQ(killed.exit_code, 0) << killed.describe();
  for (int i = 0; i < 100 && process_alive(pid, *start_time); ++i)
    std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(process_alive(pid, *start_time)) << "the exec'd process outlived the init";
}

// -t: a pty of the container's own devpts, relayed to the caller's terminal.
TEST_F(RootlessExecTest, TerminalIsAPtyOfTheContainer) {
  ASSERT_NO_FATAL_FAILURE(start_sleeper());
  int status = -1;
  std::string output =
      run_on_a_pty(runtime_command({"exec", "-t", id_, "/bin/sh", "-c",
                                    "tty; stty size; id -u; read line; echo got:$line"}),
                   "41 97", "hello\r", "got:hello", &status);
  EXPECT_NE(output.find("/dev/pts/"), std::string::npos) << output;
  EXPECT_NE(output.find("41 97"), std::string::npos) << output;
  EXPECT_NE(output.find("\r\n0\r\n"), std::string::npos) << "id -u: " << output;
  EXPECT_NE(output.find("got:hello"), std::string::npos) << output;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
}

}  // namespace
}  // namespace integration
