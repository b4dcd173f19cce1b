// dockerd (Debian's docker.io 20.10) with the runtime under test registered as an extra runtime:
// each test starts its own daemon (private data and exec roots, its own network namespace and
// cgroup parent), imports the busybox test image and drives it with Debian's docker CLI.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "clients/client_sandbox.hpp"
#include "harness/environment.hpp"

namespace integration::clients {
namespace {

// Debian's CLI: a newer docker elsewhere on PATH may speak another API version.
const std::string kDockerCli = "/usr/bin/docker";
const std::string kDockerd = "/usr/sbin/dockerd";
const std::string kImage = "burrow-test/busybox:latest";
// The name the runtime under test is registered under (daemon.json "runtimes").
const std::string kRuntime = "undertest";

class Docker : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why_not;
    if (!running_as_root()) GTEST_SKIP() << "dockerd needs root";
    if (!installed(kDockerd, "dockerd", &why_not) ||
        !installed(kDockerCli, "docker CLI", &why_not)) {
      GTEST_SKIP() << why_not;
    }
    sandbox_.emplace("docker");
    const std::string& dir = sandbox_->dir();
    socket_ = "unix://" + dir + "/docker.sock";
    // The runtime is registered the way the README says, in a daemon.json of the test's own
    // (so no host /etc/docker/daemon.json is read either).
    nlohmann::json config = {{"runtimes", {{kRuntime, {{"path", runtime_path()}}}}},
                             {"exec-opts", {"native.cgroupdriver=cgroupfs"}},
                             {"cgroup-parent", sandbox_->marker()}};
    add_daemon_config(config);
    if (IsSkipped()) return;
    write_text(dir + "/daemon.json", config.dump(2));
    sandbox_->start_daemon({kDockerd, "--config-file", dir + "/daemon.json", "--data-root",
                            dir + "/data", "--exec-root", dir + "/exec", "-H", socket_, "--pidfile",
                            dir + "/docker.pid"});
    why_not = sandbox_->wait_ready({kDockerCli, "-H", socket_, "version"}, 60s);
    if (!why_not.empty()) GTEST_SKIP() << "dockerd cannot start here: " << why_not;
    std::string tar = sandbox_->rootfs_tar(&why_not);
    ASSERT_FALSE(tar.empty()) << why_not;
    auto imported = docker({"import", tar, kImage});
    ASSERT_EQ(imported.exit_code, 0) << imported.describe();
  }

  void TearDown() override {
    if (HasFailure() && sandbox_) {
      std::cerr << "dockerd log tail:\n" << sandbox_->daemon_log_tail() << "\n";
    }
    // Removed here, not by the daemon's shutdown, which gives each one 10 s to stop.
    if (sandbox_ && !socket_.empty()) {
      auto listed = docker({"ps", "-aq"}, 30s);
      std::vector<std::string> remove = {"rm", "-f"};
      std::istringstream ids(listed.out);
      for (std::string id; ids >> id;) remove.push_back(id);
      if (remove.size() > 2) docker(remove, 60s);
    }
    sandbox_.reset();
  }

  std::vector<std::string> cli(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {kDockerCli, "-H", socket_};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  CommandResult docker(const std::vector<std::string>& args,
                       std::chrono::milliseconds timeout = 90s) const {
    return sandbox_->run(cli(args), timeout);
  }

  // `docker run --rm --runtime <under test> [options] image sh -c script`.
  CommandResult run_sh(const std::vector<std::string>& options, const std::string& script) const {
    std::vector<std::string> args = {"run", "--rm", "--runtime", kRuntime};
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {kImage, "sh", "-c", script});
    return docker(args);
  }

  // A detached container running `script`; returns its name.
  std::string start_detached(const std::string& name, const std::vector<std::string>& options,
                             const std::string& script) const {
    std::vector<std::string> args = {"run", "-d", "--name", name, "--runtime", kRuntime};
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {kImage, "sh", "-c", script});
    auto started = docker(args);
    EXPECT_EQ(started.exit_code, 0) << started.describe();
    return name;
  }

  std::string inspect(const std::string& name, const std::string& format) const {
    return inspect_field(docker({"inspect", "-f", format, name}));
  }

  // Polls until `format` of the container reads `expected`.
  bool wait_for_inspect(const std::string& name, const std::string& format,
                        const std::string& expected) const {
    for (int i = 0; i < 100; ++i) {
      if (inspect(name, format) == expected) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  // Lets a fixture add daemon.json settings; it may skip the test.
  virtual void add_daemon_config(nlohmann::json& /*config*/) {}

  std::optional<ClientSandbox> sandbox_;
  std::string socket_;
};

// dockerd's user namespace remapping: every container gets a user namespace whose root is a
// subordinate uid of the named user (here the test user scripts/setup-test-user makes).
class DockerUsernsRemap : public Docker {
 protected:
  void add_daemon_config(nlohmann::json& config) override {
    std::ifstream subuid("/etc/subuid");
    for (std::string line; std::getline(subuid, line);) {
      if (line.rfind(kRemapUser + ":", 0) == 0) subordinate_ = line.substr(kRemapUser.size() + 1);
    }
    if (subordinate_.empty())
      GTEST_SKIP() << "no /etc/subuid range for " << kRemapUser
                   << " (scripts/setup-test-user makes one)";
    config["userns-remap"] = kRemapUser;
  }

  const std::string kRemapUser = "burrow-test";
  std::string subordinate_;  // "<first>:<count>" from /etc/subuid
};

TEST_F(Docker, RunReportsTheExitCodeAndOutput) {
  auto result = run_sh({}, "echo out-line; echo err-line >&2; exit 3");
  EXPECT_EQ(result.exit_code, 3) << result.describe();
  EXPECT_EQ(result.out, "out-line\n");
  EXPECT_NE(result.err.find("err-line"), std::string::npos) << result.describe();
}

TEST_F(Docker, MemoryLimitOomKillsAHog) {
  // 64 MiB of memory and no swap; the hog keeps 200 MiB in a shell variable.
  auto result =
      docker({"run", "--name", "hog", "--runtime", kRuntime, "-m", "64m", "--memory-swap", "64m",
              kImage, "sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived"});
  EXPECT_EQ(result.exit_code, 137) << result.describe();
  EXPECT_EQ(result.out.find("survived"), std::string::npos) << result.describe();
  EXPECT_EQ(inspect("hog", "{{.State.ExitCode}} {{.State.OOMKilled}}"), "137 true");
}

TEST_F(Docker, PidsLimitStopsForks) {
  // Eight pids: the shell and seven sleeps; the eighth fork fails and busybox sh gives up.
  auto result = run_sh({"--pids-limit", "8"}, "for i in $(seq 20); do sleep 30 & echo $i; done");
  EXPECT_NE(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "1\n2\n3\n4\n5\n6\n7\n") << result.describe();
  EXPECT_NE(result.err.find("can't fork: Resource temporarily unavailable"), std::string::npos)
      << result.describe();
}

TEST_F(Docker, CpusQuotaThrottlesABusyLoop) {
  // Half a CPU: one busy loop for a second must be throttled (v1 cpu.stat or v2 cpu.stat).
  auto result = run_sh({"--cpus", "0.5"},
                       "f=/sys/fs/cgroup/cpu/cpu.cfs_quota_us; if [ -f $f ]; then cat $f "
                       "/sys/fs/cgroup/cpu/cpu.cfs_period_us; s=/sys/fs/cgroup/cpu/cpu.stat; "
                       "else cat /sys/fs/cgroup/cpu.max; s=/sys/fs/cgroup/cpu.stat; fi; "
                       "(while :; do :; done) & sleep 1; kill $!; grep nr_throttled $s");
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  bool v1 = result.out.rfind("50000\n100000\n", 0) == 0;
  bool v2 = result.out.rfind("50000 100000\n", 0) == 0;
  EXPECT_TRUE(v1 || v2) << result.describe();
  unsigned long throttled = 0;
  auto at = result.out.find("nr_throttled ");
  ASSERT_NE(at, std::string::npos) << result.describe();
  throttled = std::stoul(result.out.substr(at + 13));
  EXPECT_GT(throttled, 0u) << result.describe();
}

TEST_F(Docker, ExecRunsInTheContainer) {
  start_detached("box", {}, "echo marker > /tmp/seen; exec sleep 1000");
  ASSERT_TRUE(wait_for_inspect("box", "{{.State.Status}}", "running"));
  auto result = docker({"exec", "box", "sh", "-c", "cat /tmp/seen; echo $$; exit 4"});
  EXPECT_EQ(result.exit_code, 4) << result.describe();
  EXPECT_EQ(result.out.substr(0, 7), "marker\n") << result.describe();
  // Same pid namespace as the init (pid 1), so the exec's shell is a small pid.
  EXPECT_NE(result.out.substr(7), "1\n");
  auto missing = docker({"exec", "box", "/no/such/binary"});
  EXPECT_NE(missing.exit_code, 0) << missing.describe();
  EXPECT_NE(missing.out.find("no such file or directory"), std::string::npos) << missing.describe();
}

TEST_F(Docker, RunAndExecWithATty) {
  auto run = sandbox_->run_on_tty(cli({"run", "-it", "--rm", "--runtime", kRuntime, kImage, "sh",
                                       "-c", "tty; [ -t 0 ] && echo stdin-is-a-tty; exit 5"}));
  EXPECT_EQ(run.exit_code, 5) << run.describe();
  EXPECT_NE(run.out.find("/dev/pts/0"), std::string::npos) << run.describe();
  EXPECT_NE(run.out.find("stdin-is-a-tty"), std::string::npos) << run.describe();

  start_detached("box", {}, "exec sleep 1000");
  auto exec = sandbox_->run_on_tty(
      cli({"exec", "-it", "box", "sh", "-c", "tty; [ -t 1 ] && echo stdout-is-a-tty; exit 6"}));
  EXPECT_EQ(exec.exit_code, 6) << exec.describe();
  EXPECT_NE(exec.out.find("/dev/pts/"), std::string::npos) << exec.describe();
  EXPECT_NE(exec.out.find("stdout-is-a-tty"), std::string::npos) << exec.describe();
}

TEST_F(Docker, StopDeliversSigtermAndKillSigkill) {
  // The init traps TERM and exits 7: stop must deliver the signal, not just kill.
  start_detached("graceful", {}, "trap 'exit 7' TERM; while :; do sleep 0.1; done");
  ASSERT_TRUE(wait_for_inspect("graceful", "{{.State.Status}}", "running"));
  auto stopped = docker({"stop", "-t", "20", "graceful"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.describe();
  EXPECT_EQ(inspect("graceful", "{{.State.Status}} {{.State.ExitCode}}"), "exited 7");

  start_detached("stubborn", {}, "trap '' TERM; while :; do sleep 0.1; done");
  ASSERT_TRUE(wait_for_inspect("stubborn", "{{.State.Status}}", "running"));
  auto killed = docker({"kill", "stubborn"});
  EXPECT_EQ(killed.exit_code, 0) << killed.describe();
  ASSERT_TRUE(wait_for_inspect("stubborn", "{{.State.Status}}", "exited"));
  EXPECT_EQ(inspect("stubborn", "{{.State.ExitCode}}"), "137");
}

TEST_F(Docker, PauseFreezesAndUnpauseThaws) {
  start_detached("ticker", {},
                 "i=0; while :; do i=$((i+1)); echo $i > /tmp/count; sleep 0.05; done");
  ASSERT_TRUE(wait_for_inspect("ticker", "{{.State.Status}}", "running"));
  auto paused = docker({"pause", "ticker"});
  ASSERT_EQ(paused.exit_code, 0) << paused.describe();
  EXPECT_EQ(inspect("ticker", "{{.State.Status}}"), "paused");
  // docker exec into a paused container is refused, so read the count from the host side.
  std::string rootfs = inspect("ticker", "{{.GraphDriver.Data.MergedDir}}");
  std::string before = read_text(rootfs + "/tmp/count");
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(read_text(rootfs + "/tmp/count"), before) << "the counter moved while paused";
  auto unpaused = docker({"unpause", "ticker"});
  ASSERT_EQ(unpaused.exit_code, 0) << unpaused.describe();
  EXPECT_EQ(inspect("ticker", "{{.State.Status}}"), "running");
  std::this_thread::sleep_for(500ms);
  EXPECT_NE(read_text(rootfs + "/tmp/count"), before) << "the counter did not move after unpause";
}

TEST_F(Docker, TopListsTheContainersProcesses) {
  start_detached("box", {}, "sleep 1000 & exec sleep 2000");
  ASSERT_TRUE(wait_for_inspect("box", "{{.State.Status}}", "running"));
  auto top = docker({"top", "box"});
  ASSERT_EQ(top.exit_code, 0) << top.describe();
  EXPECT_NE(top.out.find("sleep 1000"), std::string::npos) << top.describe();
  EXPECT_NE(top.out.find("sleep 2000"), std::string::npos) << top.describe();
}

TEST_F(Docker, UpdateChangesLimitsOfARunningContainer) {
  start_detached("box", {"-m", "128m", "--memory-swap", "128m"}, "exec sleep 1000");
  ASSERT_TRUE(wait_for_inspect("box", "{{.State.Status}}", "running"));
  auto updated = docker({"update", "--memory", "96m", "--memory-swap", "96m", "--pids-limit", "9",
                         "--cpus", "0.25", "box"});
  ASSERT_EQ(updated.exit_code, 0) << updated.describe();
  auto seen = docker({"exec", "box", "sh", "-c",
                      "cd /sys/fs/cgroup; if [ -d memory ]; then cat memory/memory.limit_in_bytes "
                      "pids/pids.max cpu/cpu.cfs_quota_us; else cat memory.max pids.max cpu.max; "
                      "fi"});
  ASSERT_EQ(seen.exit_code, 0) << seen.describe();
  bool v1 = seen.out == "100663296\n9\n25000\n";
  bool v2 = seen.out == "100663296\n9\n25000 100000\n";
  EXPECT_TRUE(v1 || v2) << seen.describe();
}

TEST_F(Docker, RestartStartsTheContainerAgain) {
  start_detached("box", {}, "echo started >> /tmp/starts; exec sleep 1000");
  ASSERT_TRUE(wait_for_inspect("box", "{{.State.Status}}", "running"));
  std::string first = inspect("box", "{{.State.StartedAt}}");
  auto restarted = docker({"restart", "-t", "1", "box"});
  ASSERT_EQ(restarted.exit_code, 0) << restarted.describe();
  EXPECT_EQ(inspect("box", "{{.State.Status}}"), "running");
  EXPECT_NE(inspect("box", "{{.State.StartedAt}}"), first);
  auto starts = docker({"exec", "box", "cat", "/tmp/starts"});
  EXPECT_EQ(starts.out, "started\nstarted\n") << starts.describe();
}

TEST_F(Docker, AFailingContainerShowsTheRuntimesError) {
  // containerd's runc shim reads the error from the runtime's --log file (JSON, RFC 3339 time).
  auto result = docker({"run", "--rm", "--runtime", kRuntime, kImage, "/no/such/binary"});
  EXPECT_EQ(result.exit_code, 127) << result.describe();
  const std::string expected =
      runtime_is_burrow() ? "OCI runtime create failed: container init: exec: \"/no/such/binary\": "
                            "stat /no/such/binary: no such file or directory"
                          : "stat /no/such/binary: no such file or directory";
  EXPECT_NE(result.err.find(expected), std::string::npos) << result.describe();
  // Nothing is left running or mounted for it.
  auto listed = docker({"ps", "-aq"});
  EXPECT_EQ(listed.out, "") << listed.describe();
}

// Every capability the kernel knows is in this process's bounding set: what a --privileged
// container asks for (dockerd 20.10 ignores --cap-drop with --privileged).
bool bounding_set_is_full(std::string* missing_mask) {
  std::ifstream status("/proc/self/status");
  std::ifstream last_cap("/proc/sys/kernel/cap_last_cap");
  int last = 0;
  last_cap >> last;
  unsigned long long full = last >= 63 ? ~0ULL : (1ULL << (last + 1)) - 1;
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("CapBnd:", 0) != 0) continue;
    unsigned long long held = std::stoull(line.substr(7), nullptr, 16);
    std::ostringstream mask;
    mask << std::hex << (full & ~held);
    *missing_mask = mask.str();
    return (full & ~held) == 0;
  }
  *missing_mask = "unknown";
  return false;
}

// dockerd gives a --privileged container a cgroup mount with neither `ro` nor `rw`; as under runc
// it is read-write, so docker:dind can make its cgroups there.
TEST_F(Docker, PrivilegedContainerMakesCgroups) {
  if (!std::filesystem::exists("/sys/fs/cgroup/memory/cgroup.procs"))
    GTEST_SKIP() << "no v1 memory hierarchy on this host";
  std::string missing;
  if (!bounding_set_is_full(&missing))
    GTEST_SKIP() << "this host's capability bounding set lacks 0x" << missing
                 << ", which --privileged asks for: such a container fails under any runtime "
                    "here (DockerUsernsRemap.CgroupMountIsReadWrite covers the mount)";
  auto result = run_sh({"--privileged"}, "mkdir /sys/fs/cgroup/memory/x && echo made");
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "made\n") << result.describe();
}

// dockerd also leaves `ro` off the cgroup mount of a user-namespaced container (userns-remap):
// the same rule, seen from inside (the remapped root cannot write host-owned cgroup files, but
// the mount is read-write as under runc).
TEST_F(DockerUsernsRemap, CgroupMountIsReadWrite) {
  if (!std::filesystem::exists("/sys/fs/cgroup/memory/cgroup.procs"))
    GTEST_SKIP() << "no v1 memory hierarchy on this host";
  auto result = run_sh({},
                       "awk '$2 == \"/sys/fs/cgroup/memory\" { split($4, o, \",\"); print o[1] }' "
                       "/proc/self/mounts");
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "rw\n") << result.describe();
}

TEST_F(DockerUsernsRemap, ContainerRootIsASubordinateUidOnTheHost) {
  std::string first = subordinate_.substr(0, subordinate_.find(':'));
  std::string count = subordinate_.substr(subordinate_.find(':') + 1);
  std::string shared = sandbox_->dir() + "/shared";
  std::filesystem::create_directories(shared);
  chmod(shared.c_str(), 0777);
  auto result = run_sh({"-v", shared + ":/shared"},
                       "set -- $(cat /proc/self/uid_map); echo \"$1 $2 $3\"; id -u; "
                       "touch /shared/made-inside");
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "0 " + first + " " + count + "\n0\n") << result.describe();
  struct stat made {};
  ASSERT_EQ(stat((shared + "/made-inside").c_str(), &made), 0);
  EXPECT_EQ(std::to_string(made.st_uid), first) << "the container's root is not the host's";
}

TEST_F(Docker, BridgeNetworkReachesAnotherContainer) {
  // The default bridge network: libnetwork wires the veth from its prestart hook, which the
  // runtime must run (at createRuntime time) for the container to have eth0 at all.
  start_detached("server", {},
                 "echo served-by-server > /tmp/index.html; exec httpd -f -p 8080 -h /tmp");
  ASSERT_TRUE(wait_for_inspect("server", "{{.State.Status}}", "running"));
  std::string address = inspect("server", "{{.NetworkSettings.IPAddress}}");
  ASSERT_FALSE(address.empty());
  auto client = run_sh({}, "ip -4 addr show eth0 | grep -q inet && wget -qO- http://" + address +
                               ":8080/index.html");
  EXPECT_EQ(client.exit_code, 0) << client.describe();
  EXPECT_EQ(client.out, "served-by-server\n") << client.describe();
}

// Sandbox mode through dockerd, registered as the README says: the runtime's path with
// runtimeArgs ["--sandbox"] (the burrow-sandbox link works the same). Ordinary images then run
// user-namespaced with a leased range, --privileged is privileged inside only, and --pid=host
// is refused with burrow's reason in the docker CLI's output.
class DockerSandbox : public Docker {
 protected:
  void add_daemon_config(nlohmann::json& config) override {
    if (!runtime_is_burrow()) GTEST_SKIP() << "sandbox mode is burrow's own";
    config["runtimes"][kSandbox] = {{"path", runtime_path()}, {"runtimeArgs", {"--sandbox"}}};
  }

  const std::string kSandbox = "burrow-sandbox";
};

TEST_F(DockerSandbox, AnImageRunsUserNamespacedWithALeasedRange) {
  auto result = docker({"run", "--rm", "--runtime", kSandbox, kImage, "sh", "-c",
                        "cat /proc/self/uid_map; grep CapEff /proc/self/status"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_GE(leased_root(result.out), 65536u) << result.describe();
  // The same image through the plain registration runs as the host's root, as before.
  auto plain = run_sh({}, "cat /proc/self/uid_map");
  ASSERT_EQ(plain.exit_code, 0) << plain.describe();
  EXPECT_EQ(leased_root(plain.out), 0u) << plain.describe();
}

TEST_F(DockerSandbox, PrivilegedIsPrivilegedInsideOnly) {
  auto result =
      docker({"run", "--rm", "--runtime", kSandbox, "--privileged", kImage, "sh", "-c",
              "cat /proc/self/uid_map; echo devices: $(ls /dev); "
              "(echo 0 >/proc/sys/kernel/sysrq) 2>/dev/null && echo host sysctl written; "
              "mkdir /tmp/p && unshare -p -f -m mount -t proc proc /tmp/p && echo nested"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_GE(leased_root(result.out), 65536u) << result.describe();
  EXPECT_NE(result.out.find("devices: "), std::string::npos) << result.describe();
  for (const char* host_device : {"kmsg", "mem ", "sda", "loop0", "vda"})
    EXPECT_EQ(result.out.find(host_device), std::string::npos) << result.describe();
  EXPECT_EQ(result.out.find("host sysctl written"), std::string::npos) << result.describe();
  EXPECT_NE(result.out.find("nested"), std::string::npos) << result.describe();
}

TEST_F(DockerSandbox, HostPidNamespaceIsRefusedWithTheReason) {
  auto result = docker({"run", "--rm", "--runtime", kSandbox, "--pid=host", kImage, "true"});
  EXPECT_NE(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.err.find("sandbox mode: linux.namespaces has no pid namespace"),
            std::string::npos)
      << result.describe();
}

// The isolation proof through the engine itself (the security tier's SandboxIsolation has the
// rest): a sandboxed --privileged container's init is a leased uid in the host's /proc, and the
// daemon's socket is not there. (Bound in with -v it would be container root's: binds are
// idmapped, README: Sandbox mode.)
TEST_F(DockerSandbox, PrivilegedContainerIsNoHostRootAndHasNoDaemonSocket) {
  auto started = docker({"run", "-d", "--name", "boxed", "--runtime", kSandbox, "--privileged",
                         kImage, "sleep", "1000"});
  ASSERT_EQ(started.exit_code, 0) << started.describe();
  std::string pid = inspect("boxed", "{{.State.Pid}}");
  std::ifstream status("/proc/" + pid + "/status");
  std::string line, uids;
  while (std::getline(status, line))
    if (line.rfind("Uid:", 0) == 0) uids = line.substr(4);
  std::istringstream words(uids);
  int seen = 0;
  for (uint64_t uid; words >> uid; ++seen) EXPECT_GE(uid, kLeasePoolStart) << "Uid:" << uids;
  EXPECT_EQ(seen, 4) << "no Uid line for the container's init " << pid;

  auto probed = docker({"exec", "boxed", "/probe", "connect", "/var/run/docker.sock"});
  EXPECT_NE(probed.out.find(R"("errno":"ENOENT")"), std::string::npos) << probed.describe();
}

}  // namespace
}  // namespace integration::clients
