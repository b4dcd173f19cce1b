// process.terminal: the pty master reaches a --console-socket (as containerd and conmon use it),
// the container sees /dev/pts/N with the configured size and /dev/console bound to it; a
// foreground run relays the pty itself; runc's refusals for the wrong flag combinations.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "harness/console_socket.hpp"
#include "harness/container_test.hpp"
#include "harness/environment.hpp"
#include "harness/terminal.hpp"

namespace integration {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

using Terminal = ContainerTest;

TEST_F(Terminal, ConsoleSocketGetsTheMasterOfTheContainersPty) {
  ConsoleSocket socket(work_ + "/console.sock");
  ASSERT_TRUE(socket.ok());
  write_config([](json& c) {
    c["process"]["terminal"] = true;
    c["process"]["consoleSize"] = {{"height", 33}, {"width", 111}};
    c["process"]["args"] = {"/bin/sh", "-c",
                            "tty; stty size; ls -l /dev/console; echo end-of-output"};
  });
  auto create = start_runtime(
      {"create", "--console-socket", work_ + "/console.sock", "--bundle", bundle_, id_}, "create");
  int master = socket.receive_master();
  CommandResult created = create->wait(30s);
  ASSERT_EQ(created.exit_code, 0) << created.describe();
  ASSERT_GE(master, 0) << "no fd arrived on the console socket";
  ASSERT_EQ(runtime({"start", id_}).exit_code, 0);
  std::string output = read_until(master, "end-of-output", 10s);
  ::close(master);
  EXPECT_NE(output.find("/dev/pts/0"), std::string::npos) << output;
  EXPECT_NE(output.find("33 111"), std::string::npos) << output;
  // /dev/console is the pty (major 136), in the devpts group tty (5).
  EXPECT_NE(output.find("136,"), std::string::npos) << output;
}

// A foreground run with a terminal and no console socket relays the pty itself; the caller's
// window size is copied. The caller's terminal is a pty the test holds.
TEST_F(Terminal, ForegroundRunRelaysThePty) {
  write_config([](json& c) {
    c["process"]["terminal"] = true;
    c["process"]["args"] = {"/bin/sh", "-c", "tty; stty size; read line; echo got:$line"};
  });
  int caller_master = -1;
  struct winsize size {};
  size.ws_row = 41;
  size.ws_col = 97;
  pid_t pid = ::forkpty(&caller_master, nullptr, nullptr, &size);
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::vector<std::string> args = {runtime_path(), "--root", state_root_, "run",
                                     "--bundle",     bundle_,  id_};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  std::string output = read_until(caller_master, "41 97", 20s);
  (void)!::write(caller_master, "hello\r", 6);
  output += read_until(caller_master, "got:hello", 10s);
  int status = 0;
  for (int i = 0; i < 200 && ::waitpid(pid, &status, WNOHANG) == 0; ++i) {
    read_until(caller_master, "\x01", 50ms);  // keep the pty drained
  }
  if (::waitpid(pid, &status, WNOHANG) == 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  ::close(caller_master);
  EXPECT_NE(output.find("/dev/pts/0"), std::string::npos) << output;
  EXPECT_NE(output.find("41 97"), std::string::npos) << output;
  EXPECT_NE(output.find("got:hello"), std::string::npos) << output;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
}

TEST_F(Terminal, DetachedTerminalNeedsAConsoleSocket) {
  write_config([](json& c) { c["process"]["terminal"] = true; });
  expect_error(runtime({"run", "-d", "--bundle", bundle_, id_}), "tty_detach_no_socket");
  expect_error(runtime({"create", "--bundle", bundle_, id_}), "tty_detach_no_socket");
}

TEST_F(Terminal, ConsoleSocketNeedsATerminal) {
  ConsoleSocket socket(work_ + "/console.sock");
  ASSERT_TRUE(socket.ok());
  write_config();
  expect_error(
      runtime({"create", "--console-socket", work_ + "/console.sock", "--bundle", bundle_, id_}),
      "console_socket_no_tty");
}

TEST_F(Terminal, MissingConsoleSocketFailsCreate) {
  write_config([](json& c) { c["process"]["terminal"] = true; });
  CommandResult create =
      runtime({"create", "--console-socket", work_ + "/nope.sock", "--bundle", bundle_, id_});
  EXPECT_NE(create.exit_code, 0) << create.describe();
  if (runtime_is_burrow()) {
    EXPECT_NE(create.err.find("dial unix " + work_ + "/nope.sock: connect: No such file"),
              std::string::npos)
        << create.err;
  }
}

class ExecTerminal : public ContainerTest {
 protected:
  void start_sleeper() {
    write_config([](json& c) { c["process"]["args"] = {"/bin/sleep", "60"}; });
    ASSERT_EQ(runtime({"run", "-d", "--bundle", bundle_, id_}).exit_code, 0);
  }
};

TEST_F(ExecTerminal, ForegroundExecRelaysThePty) {
  start_sleeper();
  int status = -1;
  std::string output = run_on_a_pty({runtime_path(), "--root", state_root_, "exec", "-t", id_,
                                     "/bin/sh", "-c", "tty; stty size; read line; echo got:$line"},
                                    "41 97", "hello\r", "got:hello", &status);
  EXPECT_NE(output.find("/dev/pts/"), std::string::npos) << output;
  EXPECT_NE(output.find("41 97"), std::string::npos) << output;
  EXPECT_NE(output.find("got:hello"), std::string::npos) << output;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
}

TEST_F(ExecTerminal, ConsoleSocketGetsTheExecsMaster) {
  start_sleeper();
  ConsoleSocket socket(work_ + "/console.sock");
  ASSERT_TRUE(socket.ok());
  auto exec = start_runtime({"exec", "-t", "-d", "--console-socket", work_ + "/console.sock", id_,
                             "/bin/sh", "-c", "tty; echo end-of-output; sleep 5"},
                            "exec");
  int master = socket.receive_master();
  CommandResult done = exec->wait(30s);
  ASSERT_EQ(done.exit_code, 0) << done.describe();
  ASSERT_GE(master, 0) << "no fd arrived on the console socket";
  std::string output = read_until(master, "end-of-output", 10s);
  ::close(master);
  EXPECT_NE(output.find("/dev/pts/"), std::string::npos) << output;
}

TEST_F(ExecTerminal, DetachedTerminalNeedsAConsoleSocket) {
  start_sleeper();
  CommandResult result = runtime({"exec", "-t", "-d", id_, "true"});
  expect_error(result, runtime_is_burrow() ? "exec_tty_detach_no_socket" : "tty_detach_no_socket");
}

}  // namespace
}  // namespace integration
