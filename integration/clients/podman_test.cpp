// podman (Debian's 4.3) with the runtime under test as its OCI runtime, registered the way a
// user would in containers.conf. podman has no daemon: conmon starts the runtime, and reports
// the runtime's errors from its stderr. Each test has its own storage, tmp dir (file locks,
// exit files, events), cgroup parent and no network. Most tests run twice: as root, and as the
// unprivileged test user (rootless podman runs the runtime as root of its own user namespace).
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>

#include <filesystem>
#include <optional>
#include <sstream>
#include <thread>

#include "clients/client_sandbox.hpp"
#include "harness/environment.hpp"

namespace integration::clients {
namespace {

const std::string kPodman = "/usr/bin/podman";
const std::string kImage = "localhost/burrow-test/busybox:latest";
// Made by scripts/setup-test-user, with subordinate id ranges for podman's user namespace.
const std::string kTestUser = "burrow-test";

enum class As { root, rootless };

// For the test names ctest lists ("GetParam() = rootless").
void PrintTo(As as, std::ostream* out) {
  *out << (as == As::root ? "root" : "rootless");
}

class Podman : public ::testing::TestWithParam<As> {
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
    if (rootless()) {
      const passwd* user = getpwnam(kTestUser.c_str());
      if (user == nullptr)
        GTEST_SKIP() << "no test user " << kTestUser << " (scripts/setup-test-user)";
      if (access(runtime_path().c_str(), X_OK) != 0 || access("/usr/bin/newuidmap", X_OK) != 0) {
        GTEST_SKIP()
            << "rootless podman needs newuidmap (uidmap) and a runtime the test user can run";
      }
      uid_ = user->pw_uid;
      gid_ = user->pw_gid;
      // The user's own home, runtime and config dirs, all inside the sandbox.
      for (const char* sub : {"home", "xdg", "root", "run", "tmp"}) {
        std::filesystem::create_directories(dir + "/" + sub);
        ASSERT_EQ(chown((dir + "/" + sub).c_str(), uid_, gid_), 0);
      }
      chmod((dir + "/xdg").c_str(), 0700);
    }
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
                   runtime_path() + "\"]\n" + extra_runtimes());
    chmod((dir + "/containers.conf").c_str(), 0644);
    auto info = podman({"info", "--format", "{{.Host.OCIRuntime.Path}}"});
    if (info.exit_code != 0) GTEST_SKIP() << "podman cannot start here: " << info.describe();
    ASSERT_EQ(info.out, runtime_path() + "\n") << info.describe();
    std::string tar = sandbox_->rootfs_tar(&why_not);
    ASSERT_FALSE(tar.empty()) << why_not;
    chmod(tar.c_str(), 0644);
    auto imported = podman({"import", tar, kImage});
    ASSERT_EQ(imported.exit_code, 0) << imported.describe();
  }

  void TearDown() override {
    if (sandbox_ && !sandbox_->dir().empty()) podman({"rm", "-a", "-f", "-t", "0"});
    // Rootless podman's pause process (it holds the user namespace) carries the sandbox's tag
    // and goes with it.
    sandbox_.reset();
  }

  bool rootless() const { return GetParam() == As::rootless; }

  // More [engine.runtimes] lines (`name = ["path"]`) for `podman run --runtime name`.
  virtual std::string extra_runtimes() const { return ""; }

  std::vector<std::string> cli(const std::vector<std::string>& args) const {
    const std::string& dir = sandbox_->dir();
    std::vector<std::string> argv;
    if (rootless()) {
      argv = {"setpriv",
              "--reuid=" + std::to_string(uid_),
              "--regid=" + std::to_string(gid_),
              "--init-groups",
              "--inh-caps=-all",
              "env",
              "HOME=" + dir + "/home",
              "USER=" + kTestUser,
              "XDG_RUNTIME_DIR=" + dir + "/xdg",
              "XDG_CONFIG_HOME=" + dir + "/home/.config"};
    } else {
      argv = {"env"};
    }
    argv.insert(argv.end(), {"CONTAINERS_CONF=" + dir + "/containers.conf", kPodman, "--root",
                             dir + "/root", "--runroot", dir + "/run"});
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  CommandResult podman(const std::vector<std::string>& args) const {
    return sandbox_->run(cli(args), 90s);
  }

  // `podman run` (as root with the test's cgroup parent; rootless podman on cgroup v1 has no
  // cgroups), then `options`, the image and `sh -c script`.
  std::vector<std::string> run_args(const std::vector<std::string>& options,
                                    const std::string& script) const {
    std::vector<std::string> args = {"run"};
    if (!rootless()) args.insert(args.end(), {"--cgroup-parent", "/" + sandbox_->marker()});
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {kImage, "sh", "-c", script});
    return args;
  }

  void start_detached(const std::string& name, const std::string& script) const {
    auto started = podman(run_args({"-d", "--name", name}, script));
    ASSERT_EQ(started.exit_code, 0) << started.describe();
  }

  std::string inspect(const std::string& name, const std::string& format) const {
    return inspect_field(podman({"inspect", "-f", format, name}));
  }

  std::optional<ClientSandbox> sandbox_;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
};

// Freezing needs a cgroup: as root only (rootless podman on cgroup v1 has none).
class PodmanAsRoot : public Podman {};

TEST_P(Podman, RunReportsTheExitCodeAndOutput) {
  auto result = podman(run_args({"--rm"}, "echo out-line; exit 3"));
  EXPECT_EQ(result.exit_code, 3) << result.describe();
  EXPECT_EQ(result.out, "out-line\n") << result.describe();
}

TEST_P(Podman, RunWithATty) {
  // conmon hands the runtime a --console-socket and relays the pty. The pauses keep the output
  // clear of podman's attach at the start and of conmon's last read at the end (seen losing a
  // short-lived container's output with runc too).
  auto result =
      sandbox_->run_on_tty(cli(run_args({"--rm", "-it"}, "sleep 0.5; tty; sleep 0.5; exit 5")));
  EXPECT_EQ(result.exit_code, 5) << result.describe();
  EXPECT_NE(result.out.find("/dev/pts/0"), std::string::npos) << result.describe();
}

TEST_P(Podman, ExecRunsInTheContainer) {
  start_detached("box", "echo marker > /tmp/seen; exec sleep 1000");
  auto result = podman({"exec", "box", "sh", "-c", "cat /tmp/seen; exit 4"});
  EXPECT_EQ(result.exit_code, 4) << result.describe();
  EXPECT_EQ(result.out, "marker\n") << result.describe();
}

TEST_P(Podman, StopDeliversSigterm) {
  start_detached("graceful", "trap 'exit 7' TERM; while :; do sleep 0.1; done");
  auto stopped = podman({"stop", "-t", "20", "graceful"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.describe();
  EXPECT_EQ(inspect("graceful", "{{.State.Status}} {{.State.ExitCode}}"), "exited 7");
}

TEST_P(PodmanAsRoot, PauseFreezesAndUnpauseThaws) {
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

TEST_P(Podman, RmRemovesARunningContainer) {
  start_detached("box", "exec sleep 1000");
  std::string pid = inspect("box", "{{.State.Pid}}");
  ASSERT_NE(pid, "0");
  auto removed = podman({"rm", "-f", "-t", "0", "box"});
  EXPECT_EQ(removed.exit_code, 0) << removed.describe();
  auto listed = podman({"ps", "-aq"});
  EXPECT_EQ(listed.out, "") << listed.describe();
  EXPECT_NE(access(("/proc/" + pid).c_str(), F_OK), 0) << "the container's init still runs";
}

TEST_P(Podman, AFailingContainerShowsTheRuntimesError) {
  std::vector<std::string> args = run_args({"--rm"}, "");
  args.resize(args.size() - 3);  // the image stays; no `sh -c`
  args.push_back("/no/such/binary");
  auto result = podman(args);
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

// Sandbox mode through podman (root), registered in containers.conf as the README says: the
// burrow-sandbox link as a runtime of its own, chosen with `podman run --runtime burrow-sandbox`.
// Ordinary images run user-namespaced with a leased range, --privileged is privileged inside
// only (host devices withheld), and --pid=host is refused with burrow's reason, which conmon
// passes on to podman's error.
class PodmanSandbox : public Podman {
 protected:
  void SetUp() override {
    std::string why_not;
    link_ = sandbox_runtime(&why_not);
    if (link_.empty()) GTEST_SKIP() << why_not;
    Podman::SetUp();
  }

  std::string extra_runtimes() const override {
    return std::string(kSandbox) + " = [\"" + link_ + "\"]\n";
  }

  CommandResult sandboxed(const std::vector<std::string>& options, const std::string& script) {
    // Without --rm (RmContainerKeepsItsOwners has it): TearDown removes the containers.
    std::vector<std::string> all = {"--runtime", kSandbox};
    all.insert(all.end(), options.begin(), options.end());
    return podman(run_args(all, script));
  }

  static constexpr const char* kSandbox = "burrow-sandbox";
  std::string link_;
};

TEST_P(PodmanSandbox, AnImageRunsUserNamespacedWithALeasedRange) {
  auto result = sandboxed({}, "cat /proc/self/uid_map; echo owner: $(stat -c %u:%g /bin/busybox)");
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_GE(leased_root(result.out), kLeasePoolStart) << result.describe();
  // The image's files keep their owner inside (the rootfs is idmapped).
  EXPECT_NE(result.out.find("owner: 0:0"), std::string::npos) << result.describe();
  // The same image through the plain registration runs as the host's root, as before.
  auto plain = podman(run_args({"--rm"}, "cat /proc/self/uid_map"));
  ASSERT_EQ(plain.exit_code, 0) << plain.describe();
  EXPECT_EQ(leased_root(plain.out), 0u) << plain.describe();
}

// podman mounts a --rm container's overlay `volatile`, whose work dir takes no second overlay:
// the runtime's overlay over the idmapped layers has a work dir of its own.
TEST_P(PodmanSandbox, RmContainerKeepsItsOwners) {
  auto result =
      sandboxed({"--rm"}, "cat /proc/self/uid_map; echo owner: $(stat -c %u /bin/busybox)");
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_GE(leased_root(result.out), kLeasePoolStart) << result.describe();
  EXPECT_NE(result.out.find("owner: 0\n"), std::string::npos) << result.describe();
}

TEST_P(PodmanSandbox, PrivilegedIsPrivilegedInsideOnly) {
  expect_privileged_inside_only(sandboxed({"--privileged"}, kPrivilegedInsideScript));
  // Plain podman --privileged still hands the container the host's devices.
  auto plain = podman(run_args({"--rm", "--privileged"}, "echo devices: $(ls /dev)"));
  ASSERT_EQ(plain.exit_code, 0) << plain.describe();
  EXPECT_NE(plain.out.find("kmsg"), std::string::npos) << plain.describe();
}

TEST_P(PodmanSandbox, HostPidNamespaceIsRefusedWithTheReason) {
  // --rm here: the refusal comes before any overlay is mounted, and podman removes the container.
  auto result = podman(run_args({"--rm", "--runtime", kSandbox, "--pid=host"}, "true"));
  EXPECT_NE(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.err.find("sandbox mode: linux.namespaces has no pid namespace: the container "
                            "would share the host's processes (--pid=host)"),
            std::string::npos)
      << result.describe();
  auto listed = podman({"ps", "-aq"});
  EXPECT_EQ(listed.out, "") << listed.describe();
}

std::string as_name(const ::testing::TestParamInfo<As>& info) {
  return info.param == As::root ? "Root" : "Rootless";
}

INSTANTIATE_TEST_SUITE_P(As, Podman, ::testing::Values(As::root, As::rootless), as_name);
INSTANTIATE_TEST_SUITE_P(As, PodmanAsRoot, ::testing::Values(As::root), as_name);
INSTANTIATE_TEST_SUITE_P(As, PodmanSandbox, ::testing::Values(As::root), as_name);

}  // namespace
}  // namespace integration::clients
