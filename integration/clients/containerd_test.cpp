// containerd (Debian's 1.6) with its runc shim (io.containerd.runc.v2) driving the runtime under
// test through `ctr run --runc-binary`. Each test starts its own containerd (private root, state
// and sockets, its own network namespace) and uses a ctr namespace named after the sandbox,
// which is also the containers' cgroup parent.
#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <thread>

#include "clients/client_sandbox.hpp"
#include "harness/environment.hpp"

namespace integration::clients {
namespace {

const std::string kContainerd = "/usr/bin/containerd";
const std::string kCtr = "/usr/bin/ctr";
const std::string kImage = "docker.io/burrow-test/busybox:latest";

class Containerd : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why_not;
    if (!running_as_root()) GTEST_SKIP() << "containerd needs root";
    if (!installed(kContainerd, "containerd", &why_not) || !installed(kCtr, "ctr", &why_not)) {
      GTEST_SKIP() << why_not;
    }
    sandbox_.emplace("ctrd");
    const std::string& dir = sandbox_->dir();
    address_ = dir + "/containerd.sock";
    // The CRI plugin is Kubernetes' front end; these tests use containerd's own API.
    write_text(dir + "/config.toml",
               "version = 2\nroot = \"" + dir + "/root\"\nstate = \"" + dir +
                   "/state\"\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n"
                   "[grpc]\n  address = \"" +
                   address_ + "\"\n[ttrpc]\n  address = \"" + address_ + ".ttrpc\"\n");
    sandbox_->start_daemon({kContainerd, "--config", dir + "/config.toml"});
    why_not = sandbox_->wait_ready({kCtr, "-a", address_, "version"}, 60s);
    if (!why_not.empty()) GTEST_SKIP() << "containerd cannot start here: " << why_not;
    std::string archive = sandbox_->image_archive(kImage, &why_not);
    ASSERT_FALSE(archive.empty()) << why_not;
    auto imported = ctr({"images", "import", archive});
    ASSERT_EQ(imported.exit_code, 0) << imported.describe();
  }

  void TearDown() override {
    if (HasFailure() && sandbox_) {
      std::cerr << "containerd log tail:\n" << sandbox_->daemon_log_tail() << "\n";
    }
    // Deleted through containerd, so each shim exits on its own and removes its socket.
    if (sandbox_ && !address_.empty()) {
      auto listed = ctr({"containers", "ls", "-q"});
      std::istringstream ids(listed.out);
      for (std::string id; ids >> id;) {
        ctr({"task", "rm", "-f", id});
        ctr({"containers", "rm", id});
      }
    }
    sandbox_.reset();
  }

  std::vector<std::string> cli(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {kCtr, "-a", address_, "-n", sandbox_->marker()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  CommandResult ctr(const std::vector<std::string>& args) const {
    return sandbox_->run(cli(args), 90s);
  }

  // `ctr run --runc-binary <under test> [options] image id sh -c script`.
  std::vector<std::string> run_args(const std::vector<std::string>& options, const std::string& id,
                                    const std::string& script) const {
    std::vector<std::string> args = {"run", "--runc-binary", runtime_path()};
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {kImage, id, "sh", "-c", script});
    return args;
  }

  // Waits until `ctr task ls` shows the task with `status`.
  bool wait_for_task(const std::string& id, const std::string& status) const {
    for (int i = 0; i < 100; ++i) {
      auto listed = ctr({"task", "ls"});
      std::istringstream lines(listed.out);
      for (std::string line; std::getline(lines, line);) {
        std::istringstream words(line);
        std::string task, pid, state;
        words >> task >> pid >> state;
        if (task == id && state == status) return true;
      }
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  std::optional<ClientSandbox> sandbox_;
  std::string address_;
};

TEST_F(Containerd, RunReportsTheExitCodeAndOutput) {
  auto result = ctr(run_args({"--rm"}, "once", "echo out-line; exit 3"));
  EXPECT_EQ(result.exit_code, 3) << result.describe();
  EXPECT_EQ(result.out, "out-line\n") << result.describe();
  auto listed = ctr({"containers", "ls", "-q"});
  EXPECT_EQ(listed.out, "") << listed.describe();
}

TEST_F(Containerd, ExecRunsInTheContainer) {
  auto started = ctr(run_args({"-d"}, "box", "echo marker > /tmp/seen; exec sleep 1000"));
  ASSERT_EQ(started.exit_code, 0) << started.describe();
  ASSERT_TRUE(wait_for_task("box", "RUNNING"));
  auto result =
      ctr({"task", "exec", "--exec-id", "probe", "box", "sh", "-c", "cat /tmp/seen; exit 4"});
  EXPECT_EQ(result.exit_code, 4) << result.describe();
  EXPECT_EQ(result.out, "marker\n") << result.describe();
  ctr({"task", "kill", "-s", "SIGKILL", "box"});
}

TEST_F(Containerd, KillDeliversTheSignal) {
  // A foreground `ctr run` returns the task's exit status once the kill has landed.
  auto foreground = sandbox_->start(
      cli(run_args({"--rm"}, "graceful", "trap 'exit 7' TERM; while :; do sleep 0.1; done")));
  ASSERT_TRUE(wait_for_task("graceful", "RUNNING"));
  auto killed = ctr({"task", "kill", "-s", "SIGTERM", "graceful"});
  EXPECT_EQ(killed.exit_code, 0) << killed.describe();
  auto result = foreground->wait(60s);
  EXPECT_EQ(result.exit_code, 7) << result.describe();

  auto stubborn = ctr(run_args({"-d"}, "stubborn", "trap '' TERM; while :; do sleep 0.1; done"));
  ASSERT_EQ(stubborn.exit_code, 0) << stubborn.describe();
  ASSERT_TRUE(wait_for_task("stubborn", "RUNNING"));
  auto sigkill = ctr({"task", "kill", "-s", "SIGKILL", "stubborn"});
  EXPECT_EQ(sigkill.exit_code, 0) << sigkill.describe();
  EXPECT_TRUE(wait_for_task("stubborn", "STOPPED"));
  auto removed = ctr({"task", "rm", "stubborn"});
  EXPECT_EQ(removed.exit_code, 0) << removed.describe();
}

// Sandbox mode through containerd: `ctr run --runc-binary <build>/runtime/burrow-sandbox` (the
// runc shim runs the link as its runc). Ordinary images run user-namespaced with a leased range,
// --privileged is privileged inside only (host devices withheld), and the host's network
// (--net-host) is refused with
// burrow's reason, which the shim reads from the runtime's log and ctr prints.
class ContainerdSandbox : public Containerd {
 protected:
  void SetUp() override {
    std::string why_not;
    link_ = sandbox_runtime(&why_not);
    if (link_.empty()) GTEST_SKIP() << why_not;
    Containerd::SetUp();
  }

  CommandResult sandboxed(const std::vector<std::string>& options, const std::string& id,
                          const std::string& script) const {
    std::vector<std::string> args = {"run", "--rm", "--runc-binary", link_};
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {kImage, id, "sh", "-c", script});
    return ctr(args);
  }

  std::string link_;
};

TEST_F(ContainerdSandbox, AnImageRunsUserNamespacedWithALeasedRange) {
  auto result =
      sandboxed({}, "boxed", "cat /proc/self/uid_map; echo owner: $(stat -c %u:%g /bin/busybox)");
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_GE(leased_root(result.out), kLeasePoolStart) << result.describe();
  // The image's files keep their owner inside (the rootfs is idmapped).
  EXPECT_NE(result.out.find("owner: 0:0"), std::string::npos) << result.describe();
  // The same image through the plain runtime runs as the host's root, as before.
  auto plain = ctr(run_args({"--rm"}, "plain", "cat /proc/self/uid_map"));
  ASSERT_EQ(plain.exit_code, 0) << plain.describe();
  EXPECT_EQ(leased_root(plain.out), 0u) << plain.describe();
}

TEST_F(ContainerdSandbox, PrivilegedIsPrivilegedInsideOnly) {
  expect_privileged_inside_only(sandboxed({"--privileged"}, "privileged", kPrivilegedInsideScript));
  // Plain `ctr run --privileged` still hands the container the host's devices.
  auto plain = ctr(run_args({"--rm", "--privileged"}, "plainpriv", "echo devices: $(ls /dev)"));
  ASSERT_EQ(plain.exit_code, 0) << plain.describe();
  EXPECT_NE(plain.out.find("kmsg"), std::string::npos) << plain.describe();
}

TEST_F(ContainerdSandbox, HostNetworkIsRefusedWithTheReason) {
  // ctr has no --pid=host (dockerd's and podman's sandbox tests refuse that one).
  auto network = sandboxed({"--net-host"}, "hostnet", "true");
  EXPECT_NE(network.exit_code, 0) << network.describe();
  EXPECT_NE(network.err.find("sandbox mode: linux.namespaces has no network namespace: the "
                             "container would share the host's network (--net=host)"),
            std::string::npos)
      << network.describe();
  auto listed = ctr({"containers", "ls", "-q"});
  EXPECT_EQ(listed.out, "") << listed.describe();
}

TEST_F(ContainerdSandbox, TheAnnotationChoosesSandboxModeThroughThePlainRuntime) {
  auto result = ctr(run_args({"--rm", "--annotation", "run.burrow.sandbox=true"}, "annotated",
                             "cat /proc/self/uid_map"));
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_GE(leased_root(result.out), kLeasePoolStart) << result.describe();
}

}  // namespace
}  // namespace integration::clients
