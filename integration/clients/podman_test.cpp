// podman (Debian's 4.3) with the runtime under test as its OCI runtime, registered the way a
// user would in containers.conf. podman has no daemon: conmon starts the runtime, and reports
// the runtime's errors from its stderr. Each test has its own storage, tmp dir (file locks,
// exit files, events), cgroup parent and no network.
#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <thread>

#include "clients/client_sandbox.hpp"
#include "harness/environment.hpp"

namespace integration::clients {
namespace {

const std::string kPodman = "/usr/bin/podman";
const std::string kImage = "localhost/burrow-test/busybox:latest";

class Podman : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why_not;
    if (!running_as_root()) GTEST_SKIP() << "these podman tests run it as root";
    if (!installed(kPodman, "podman", &why_not) ||
        !installed("/usr/bin/conmon", "conmon", &why_not)) {
      GTEST_SKIP() << why_not;
    }
    sandbox_.emplace("podman");
    const std::string& dir = sandbox_->dir();
    // The capability bounding set here lacks CAP_SYS_RESOURCE, so podman's default rlimits
    // (above the hard limits) cannot be set: ask for ones within them.
    write_text(dir + "/containers.conf",
               "[containers]\n"
               "default_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n"
               "netns = \"none\"\n"
               "[engine]\n"
               "cgroup_manager = \"cgroupfs\"\n"
               "events_logger = \"file\"\n"
               "lock_type = \"file\"\n"
               "tmp_dir = \"" +
                   dir +
                   "/tmp\"\n"
                   "runtime = \"undertest\"\n"
                   "[engine.runtimes]\n"
                   "undertest = [\"" +
                   runtime_path() + "\"]\n");
    auto info = podman({"info", "--format", "{{.Host.OCIRuntime.Path}}"});
    if (info.exit_code != 0) GTEST_SKIP() << "podman cannot start here: " << info.describe();
    ASSERT_EQ(info.out, runtime_path() + "\n") << info.describe();
    std::string tar = sandbox_->rootfs_tar(&why_not);
    ASSERT_FALSE(tar.empty()) << why_not;
    auto imported = podman({"import", tar, kImage});
    ASSERT_EQ(imported.exit_code, 0) << imported.describe();
  }

  void TearDown() override {
    if (sandbox_ && !sandbox_->dir().empty()) podman({"rm", "-a", "-f", "-t", "0"});
    sandbox_.reset();
  }

  std::vector<std::string> cli(const std::vector<std::string>& args) const {
    const std::string& dir = sandbox_->dir();
    std::vector<std::string> argv = {"env",         "CONTAINERS_CONF=" + dir + "/containers.conf",
                                     kPodman,       "--root",
                                     dir + "/root", "--runroot",
                                     dir + "/run"};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  CommandResult podman(const std::vector<std::string>& args) const {
    return sandbox_->run(cli(args), 90s);
  }

  // `podman run` with the test's cgroup parent, then `options`, the image and `sh -c script`.
  std::vector<std::string> run_args(const std::vector<std::string>& options,
                                    const std::string& script) const {
    std::vector<std::string> args = {"run", "--cgroup-parent", "/" + sandbox_->marker()};
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {kImage, "sh", "-c", script});
    return args;
  }

  void start_detached(const std::string& name, const std::string& script) const {
    auto started = podman(run_args({"-d", "--name", name}, script));
    ASSERT_EQ(started.exit_code, 0) << started.describe();
  }

  std::string inspect(const std::string& name, const std::string& format) const {
    auto result = podman({"inspect", "-f", format, name});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    std::string out = result.out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

  std::optional<ClientSandbox> sandbox_;
};

TEST_F(Podman, RunReportsTheExitCodeAndOutput) {
  auto result = podman(run_args({"--rm"}, "echo out-line; exit 3"));
  EXPECT_EQ(result.exit_code, 3) << result.describe();
  EXPECT_EQ(result.out, "out-line\n") << result.describe();
}

TEST_F(Podman, RunWithATty) {
  // conmon hands the runtime a --console-socket and relays the pty.
  auto result = sandbox_->run_on_tty(cli(run_args({"--rm", "-it"}, "tty; exit 5")));
  EXPECT_EQ(result.exit_code, 5) << result.describe();
  EXPECT_NE(result.out.find("/dev/pts/0"), std::string::npos) << result.describe();
}

TEST_F(Podman, ExecRunsInTheContainer) {
  start_detached("box", "echo marker > /tmp/seen; exec sleep 1000");
  auto result = podman({"exec", "box", "sh", "-c", "cat /tmp/seen; exit 4"});
  EXPECT_EQ(result.exit_code, 4) << result.describe();
  EXPECT_EQ(result.out, "marker\n") << result.describe();
}

TEST_F(Podman, StopDeliversSigterm) {
  start_detached("graceful", "trap 'exit 7' TERM; while :; do sleep 0.1; done");
  auto stopped = podman({"stop", "-t", "20", "graceful"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.describe();
  EXPECT_EQ(inspect("graceful", "{{.State.Status}} {{.State.ExitCode}}"), "exited 7");
}

TEST_F(Podman, PauseFreezesAndUnpauseThaws) {
  start_detached("ticker", "i=0; while :; do i=$((i+1)); echo $i > /tmp/count; sleep 0.05; done");
  auto paused = podman({"pause", "ticker"});
  ASSERT_EQ(paused.exit_code, 0) << paused.describe();
  EXPECT_EQ(inspect("ticker", "{{.State.Status}}"), "paused");
  auto mounted = podman({"mount", "ticker"});
  ASSERT_EQ(mounted.exit_code, 0) << mounted.describe();
  std::string count_file = mounted.out.substr(0, mounted.out.find('\n')) + "/tmp/count";
  std::string before = read_text(count_file);
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(read_text(count_file), before) << "the counter moved while paused";
  auto unpaused = podman({"unpause", "ticker"});
  ASSERT_EQ(unpaused.exit_code, 0) << unpaused.describe();
  EXPECT_EQ(inspect("ticker", "{{.State.Status}}"), "running");
  std::this_thread::sleep_for(500ms);
  EXPECT_NE(read_text(count_file), before) << "the counter did not move after unpause";
}

TEST_F(Podman, RmRemovesARunningContainer) {
  start_detached("box", "exec sleep 1000");
  std::string pid = inspect("box", "{{.State.Pid}}");
  ASSERT_NE(pid, "0");
  auto removed = podman({"rm", "-f", "-t", "0", "box"});
  EXPECT_EQ(removed.exit_code, 0) << removed.describe();
  auto listed = podman({"ps", "-aq"});
  EXPECT_EQ(listed.out, "") << listed.describe();
  EXPECT_NE(access(("/proc/" + pid).c_str(), F_OK), 0) << "the container's init still runs";
}

TEST_F(Podman, AFailingContainerShowsTheRuntimesError) {
  auto result = podman(
      {"run", "--rm", "--cgroup-parent", "/" + sandbox_->marker(), kImage, "/no/such/binary"});
  EXPECT_EQ(result.exit_code, 127) << result.describe();
  const std::string expected =
      runtime_is_burrow()
          ? "container init: exec: \\\"/no/such/binary\\\": stat /no/such/binary: no such file "
            "or directory"
          : "stat /no/such/binary: no such file or directory";
  EXPECT_NE(result.err.find(expected), std::string::npos) << result.describe();
  auto listed = podman({"ps", "-aq"});
  EXPECT_EQ(listed.out, "") << listed.describe();
}

}  // namespace
}  // namespace integration::clients
