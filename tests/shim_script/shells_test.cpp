// The rendered script run for real: dash (/bin/sh here), bash, bash as `sh`, busybox ash, each a
// child process reading the script from a pipe on STDIN.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "run_shell.hpp"
#include "script/render.hpp"

namespace burrow::shim::script {
namespace {

using testing::run_shell;
using testing::ShellRun;

struct ShellCase {
  std::string name;
  std::vector<std::string> argv;
  Shell shell;
  bool has_pipefail;
};

std::string notice(const std::string& text) {
  return "\x1b[32;1m$ " + text + "\x1b[0;m\n";
}

class Shells : public ::testing::TestWithParam<ShellCase> {
 protected:
  ShellRun job(const std::vector<std::string>& script, const std::vector<std::string>& before = {},
               bool keep_stdin_open = false) {
    return run_shell(GetParam().argv,
                     render_job_script(before, script, {.shell = GetParam().shell}),
                     keep_stdin_open);
  }
};

TEST_P(Shells, EchoesAndRunsCommandsInOrder) {
  const auto run = job({"echo one", "echo two"}, {"echo zero"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, notice("echo zero") + "zero\n" + notice("echo one") + "one\n" +
                         notice("echo two") + "two\n");
  EXPECT_EQ(run.err, "");
}

TEST_P(Shells, MultiLineCommandRunsWholeAndIsCollapsedInTheNotice) {
  const auto run = job({"for i in 1 2; do\n  echo \"n$i\"\ndone", "echo end"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, notice("for i in 1 2; do # collapsed multi-line command") + "n1\nn2\n" +
                         notice("echo end") + "end\n");
}

TEST_P(Shells, HeredocInACommand) {
  const auto run = job({"cat <<EOF\nline 1\nline 2\nEOF", "echo after"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, notice("cat <<EOF # collapsed multi-line command") + "line 1\nline 2\n" +
                         notice("echo after") + "after\n");
}

TEST_P(Shells, FirstFailingCommandStopsTheScriptWithItsCode) {
  const auto run = job({"echo before", "false", "echo never"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, notice("echo before") + "before\n" + notice("false"));
}

TEST_P(Shells, ExitEndsTheScriptWithItsCode) {
  const auto run = job({"echo before", "exit 7", "echo never"});
  EXPECT_EQ(run.exit_code, 7);
  EXPECT_EQ(run.out.find("never"), std::string::npos) << run.out;
}

TEST_P(Shells, ExitZeroEndsTheScriptSuccessfully) {
  const auto run = job({"exit 0", "echo never"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, notice("exit 0"));
}

TEST_P(Shells, FailureInBeforeScriptSkipsTheScript) {
  const auto run = job({"echo never"}, {"sh -c 'exit 3'"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out.find("never"), std::string::npos) << run.out;
}

TEST_P(Shells, CommandNotFoundIs127) {
  const auto run = job({"no-such-command-burrow", "echo never"});
  EXPECT_EQ(run.exit_code, 127);
  EXPECT_EQ(run.out.find("never"), std::string::npos);
}

TEST_P(Shells, CommandsReadingStdinDoNotEatTheScript) {
  const auto run = job({"cat", "echo after-cat", "read x || echo \"read got EOF\"",
                        "head -c 100 /dev/stdin | wc -c", "echo last"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, notice("cat") + notice("echo after-cat") + "after-cat\n" +
                         notice("read x || echo \"read got EOF\"") + "read got EOF\n" +
                         notice("head -c 100 /dev/stdin | wc -c") + "0\n" + notice("echo last") +
                         "last\n");
}

TEST_P(Shells, LongScriptWithAStdinReaderInTheMiddle) {
  // Big enough that the outer shell's buffered read of STDIN (dash reads in blocks) cannot hold
  // it at once; the reader in the middle still sees nothing of it.
  std::vector<std::string> script;
  for (int i = 0; i < 2000; ++i) {
    script.push_back("echo " + std::to_string(i));
    if (i == 1000) script.push_back("cat");
  }
  const auto run = job(script);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("\n1999\n"), std::string::npos);
}

TEST_P(Shells, StdinLeftOpenDoesNotHangTheShell) {
  const auto run = job({"echo hi"}, {}, /*keep_stdin_open=*/true);
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, notice("echo hi") + "hi\n");
}

TEST_P(Shells, PipelineWithFailingFirstElement) {
  const auto run = job({"false | true", "echo after"});
  if (GetParam().has_pipefail) {
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_EQ(run.out, notice("false | true"));
  } else {
    // dash: no pipefail; the pipeline's status is its last element's.
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.out, notice("false | true") + notice("echo after") + "after\n");
  }
}

TEST_P(Shells, QuotesDollarsBackslashesAndNewlinesSurvive) {
  const std::vector<std::string> script = {
      R"(printf '%s|' 'it'"'"'s' "dq \"x\"" 'back\slash' '$HOME' "a\$b" '%d'; echo)",
      "printf '%s\\n' 'line one\nline two'",
      R"(x='single '\'' quote'; echo "$x")",
  };
  const auto run = job(script);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, notice(script[0]) +
                         R"(it's|dq "x"|back\slash|$HOME|a$b|%d|)"
                         "\n" +
                         notice("printf '%s\\n' 'line one # collapsed multi-line command") +
                         "line one\nline two\n" + notice(script[2]) + "single ' quote\n");
}

TEST_P(Shells, VariablesCarryFromOneCommandToTheNext) {
  const auto run = job({"export A=1; B=2", "cd /tmp", "echo \"$A$B $(pwd)\""}, {"C=0"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("\n12 /tmp\n"), std::string::npos) << run.out;
}

TEST_P(Shells, EmptyCommandPrintsAnEmptyLine) {
  const auto run = job({"echo a", "  ", "echo b"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, notice("echo a") + "a\n\n" + notice("echo b") + "b\n");
}

TEST_P(Shells, StderrOfCommandsGoesToStderr) {
  const auto run = job({"echo oops >&2"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.err, "oops\n");
}

TEST_P(Shells, AfterScriptIsAShellOfItsOwn) {
  const auto script =
      render_job_script({}, {"X=from-script", "false"}, {.shell = GetParam().shell});
  const auto after =
      render_after_script({"echo \"x=[$X]\"", "exit 4"}, {.shell = GetParam().shell});
  EXPECT_EQ(run_shell(GetParam().argv, script).exit_code, 1);
  const auto run = run_shell(GetParam().argv, after);
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_EQ(run.out, notice("echo \"x=[$X]\"") + "x=[]\n" + notice("exit 4"));
}

TEST_P(Shells, EmptyScriptSucceeds) {
  const auto run = job({});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
}

INSTANTIATE_TEST_SUITE_P(
    All, Shells,
    ::testing::Values(ShellCase{"dash", {"/usr/bin/dash"}, Shell::kPosix, false},
                      ShellCase{"bash", {"/bin/bash"}, Shell::kBash, true},
                      ShellCase{"bash_as_sh", {"/bin/bash", "--posix"}, Shell::kPosix, true},
                      ShellCase{"busybox", {"/bin/busybox", "sh"}, Shell::kPosix, true}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace burrow::shim::script
