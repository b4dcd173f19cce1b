#include "process/hooks.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

namespace burrow::process {
namespace {

spec::Hook shell_hook(const std::string& script, std::optional<int> timeout = std::nullopt) {
  spec::Hook hook;
  hook.path = "/bin/sh";
  hook.args = {"sh", "-c", script};
  hook.timeout = timeout;
  return hook;
}

class Hooks : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/burrow-hooks-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  std::string read(const std::string& name) {
    std::ifstream in(dir_ + "/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::string dir_;
};

TEST_F(Hooks, StateJsonHasTheSpecsFieldsInOrder) {
  HookState state{"1.2.0", "c1", "creating", 42, "/b", {{"k", "v"}}};
  EXPECT_EQ(hook_state_json(state),
            R"({"ociVersion":"1.2.0","id":"c1","status":"creating","pid":42,"bundle":"/b",)"
            R"("annotations":{"k":"v"}})");
  // No pid yet and no annotations: both left out, as runc's json omitempty does.
  EXPECT_EQ(hook_state_json({"1.2.0", "c1", "stopped", 0, "/b", {}}),
            R"({"ociVersion":"1.2.0","id":"c1","status":"stopped","bundle":"/b"})");
}

TEST_F(Hooks, GetsTheStateOnStdin) {
  ASSERT_TRUE(run_hook(shell_hook("cat > " + dir_ + "/state"), "{\"id\":\"c1\"}").ok());
  EXPECT_EQ(read("state"), "{\"id\":\"c1\"}");
}

TEST_F(Hooks, FailureSaysExitStatusAndOutput) {
  auto ran = run_hook(shell_hook("echo out; echo err >&2; exit 3"), "{}");
  ASSERT_FALSE(ran.ok());
  EXPECT_EQ(ran.error().message, "error running hook: exit status 3, stdout: out\n, stderr: err\n");
}

TEST_F(Hooks, KilledHookSaysTheSignal) {
  auto ran = run_hook(shell_hook("kill -9 $$"), "{}");
  ASSERT_FALSE(ran.ok());
  EXPECT_EQ(ran.error().message, "error running hook: signal: killed, stdout: , stderr: ");
}

TEST_F(Hooks, TimeoutKillsTheHook) {
  auto started = std::chrono::steady_clock::now();
  auto ran = run_hook(shell_hook("exec sleep 30", 1), "{}");
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(ran.ok());
  EXPECT_EQ(ran.error().message, "hook ran past specified timeout of 1.0s");
  EXPECT_LT(took, std::chrono::seconds(10));
}

TEST_F(Hooks, MissingBinaryIsAForkExecError) {
  spec::Hook hook;
  hook.path = "/nonexistent/hook";
  auto ran = run_hook(hook, "{}");
  ASSERT_FALSE(ran.ok());
  EXPECT_EQ(ran.error().message, "fork/exec /nonexistent/hook: no such file or directory");
}

TEST_F(Hooks, ArgsAndEnvAreTheHooksOwn) {
  spec::Hook hook = shell_hook("echo \"$0 $1\" > " + dir_ + "/args; env > " + dir_ + "/env");
  hook.args.push_back("zero");  // sh -c takes $0 and $1 from the words after the script
  hook.args.push_back("one");
  hook.env = {"ONLY=this"};
  ASSERT_TRUE(run_hook(hook, "{}").ok());
  EXPECT_EQ(read("args"), "zero one\n");
  std::string env = read("env");
  EXPECT_NE(env.find("ONLY=this\n"), std::string::npos) << env;
  EXPECT_EQ(env.find("HOME="), std::string::npos) << env;
}

TEST_F(Hooks, AHookThatDoesNotReadStdinStillSucceeds) {
  std::string big(256 * 1024, 'x');  // more than a pipe holds
  EXPECT_TRUE(run_hook(shell_hook("exit 0"), big).ok());
}

// A foreground `run` blocks signals and forwards what arrives to the container: a SIGPIPE from
// writing to a hook that does not read must not stay pending (it would be forwarded).
TEST_F(Hooks, NoSigpipeStaysPendingWhenSignalsAreBlocked) {
  sigset_t pipe_only, previous, pending;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  ASSERT_EQ(::sigprocmask(SIG_BLOCK, &pipe_only, &previous), 0);
  std::string big(1024 * 1024, 'x');
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(run_hook(shell_hook("exit 0"), big).ok());
  sigemptyset(&pending);
  ::sigpending(&pending);
  bool pipe_pending = sigismember(&pending, SIGPIPE) == 1;
  ::sigprocmask(SIG_SETMASK, &previous, nullptr);
  EXPECT_FALSE(pipe_pending);
}

TEST_F(Hooks, ListStopsAtTheFirstFailureAndNamesIt) {
  std::vector<spec::Hook> hooks = {shell_hook("true"), shell_hook("exit 1"),
                                   shell_hook("touch " + dir_ + "/third")};
  auto ran = run_hooks(hooks, "prestart", "{}");
  ASSERT_FALSE(ran.ok());
  EXPECT_EQ(ran.error().message,
            "error running prestart hook #1: error running hook: exit status 1, stdout: , "
            "stderr: ");
  EXPECT_NE(::access((dir_ + "/third").c_str(), F_OK), 0);
}

}  // namespace
}  // namespace burrow::process
