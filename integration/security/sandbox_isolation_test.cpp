// The isolation proof of sandbox mode (issue 14, deliverable 6): a container an engine asked for
// with --privileged (every capability, no seccomp, no masks, rw /proc /sys and cgroups, host
// devices), run with `burrow --sandbox`, reaches none of the host. Each test runs the same probe
// twice: sandboxed, where it must fail, and as plain burrow runs that config (the protection
// removed), where it must succeed, so the test is shown able to fail. Sandbox mode is burrow's
// own: skipped under other runtimes.
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "harness/command.hpp"
#include "harness/container_test.hpp"
#include "harness/environment.hpp"

namespace integration {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr uint64_t kRange = 65536;

// What `docker run --privileged` asks of the runtime, in a config burrow runs without sandbox
// mode too (CAP_SYS_RESOURCE is left out: this host's bounding set lacks it).
void privileged(json& c, const std::string& block_device) {
  json caps = {"CAP_CHOWN",      "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
               "CAP_FSETID",     "CAP_KILL",         "CAP_SETGID",          "CAP_SETUID",
               "CAP_SETPCAP",    "CAP_NET_ADMIN",    "CAP_NET_RAW",         "CAP_SYS_CHROOT",
               "CAP_SYS_MODULE", "CAP_SYS_RAWIO",    "CAP_SYS_PTRACE",      "CAP_SYS_ADMIN",
               "CAP_MKNOD",      "CAP_AUDIT_WRITE",  "CAP_SYSLOG",          "CAP_SYS_BOOT"};
  for (const char* set : {"bounding", "effective", "permitted"})
    c["process"]["capabilities"][set] = caps;
  c["linux"].erase("seccomp");
  c["linux"]["maskedPaths"] = json::array();
  c["linux"]["readonlyPaths"] = json::array();
  // The shared rootfs stays read-only; what the probes make goes to tmpfs.
  for (const char* dir : {"/tmp", "/run"})
    c["mounts"].push_back({{"destination", dir}, {"type", "tmpfs"}, {"source", "tmpfs"}});
  for (auto& mount : c["mounts"]) {
    if (mount["destination"] != "/sys" && mount["destination"] != "/sys/fs/cgroup") continue;
    json options = json::array();
    for (const auto& option : mount.value("options", json::array()))
      if (option != "ro") options.push_back(option);
    options.push_back("rw");
    mount["options"] = options;
  }
  c["linux"]["devices"] = json::array();
  if (!block_device.empty()) {
    struct stat node {};
    if (::stat(("/dev/" + block_device).c_str(), &node) == 0) {
      c["linux"]["devices"].push_back({{"path", "/dev/" + block_device},
                                       {"type", "b"},
                                       {"major", major(node.st_rdev)},
                                       {"minor", minor(node.st_rdev)},
                                       {"fileMode", 0600}});
    }
  }
  c["linux"]["resources"] = {{"devices", {{{"allow", true}, {"access", "rwm"}}}},
                             {"pids", {{"limit", 100}}},
                             {"memory", {{"limit", 256 * 1024 * 1024}}}};
  // Its own cgroup at /sys/fs/cgroup in both modes (sandbox mode adds the namespace anyway).
  bool has_cgroup_ns = false;
  for (const auto& ns : c["linux"]["namespaces"]) has_cgroup_ns |= ns["type"] == "cgroup";
  if (!has_cgroup_ns) c["linux"]["namespaces"].push_back({{"type", "cgroup"}});
}

// The host's block device holding `path` (e.g. "vda" for /), or empty.
std::string block_device_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return "";
  std::string link = "/sys/dev/block/" + std::to_string(major(info.st_dev)) + ":" +
                     std::to_string(minor(info.st_dev));
  std::error_code error;
  std::filesystem::path target = std::filesystem::read_symlink(link, error);
  if (error) return "";
  std::string name = target.filename().string();
  return ::access(("/dev/" + name).c_str(), F_OK) == 0 ? name : "";
}

// The config with no pid namespace of its own (--pid=host).
void without_pid_namespace(json& c) {
  json kept = json::array();
  for (const auto& ns : c["linux"]["namespaces"])
    if (ns["type"] != "pid") kept.push_back(ns);
  c["linux"]["namespaces"] = kept;
}

// A listening unix socket, closed and removed on destruction.
class Listener {
 public:
  explicit Listener(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    ok_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
          ::listen(fd_, 16) == 0;
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  ~Listener() {
    if (fd_ >= 0) ::close(fd_);
    ::unlink(path_.c_str());
  }
  bool ok() const { return ok_; }

 private:
  std::string path_;
  int fd_ = -1;
  bool ok_ = false;
};

class SandboxIsolation : public ContainerTest {
 protected:
  void SetUp() override {
    ContainerTest::SetUp();
    if (!runtime_is_burrow()) GTEST_SKIP() << "sandbox mode is burrow's own";
    if (!running_as_root()) GTEST_SKIP() << "runs containers as root";
    // Two ranges of this test process's own (the formula of the root tier's Sandbox tests).
    pool_start_ = 1879048192 + (static_cast<uint64_t>(::getpid()) % 1000) * 4 * kRange + 2 * kRange;
    pool_ = std::to_string(pool_start_) + ":" + std::to_string(2 * kRange);
    block_device_ = block_device_of("/");
  }

  std::vector<std::string> mode_flags(bool sandbox) const {
    std::vector<std::string> flags{"--userns-pool", pool_};
    if (sandbox) flags.push_back("--sandbox");
    return flags;
  }

  // `sh -c script` in the privileged config (plus `tweak`), sandboxed or plain, to completion.
  CommandResult run_privileged(bool sandbox, const std::string& script, const Tweak& tweak = {}) {
    write_config([&](json& c) {
      privileged(c, block_device_);
      c["process"]["args"] = {"/bin/sh", "-c", script};
      if (tweak) tweak(c);
    });
    std::vector<std::string> args = mode_flags(sandbox);
    for (const char* arg : {"run", "--bundle"}) args.push_back(arg);
    args.push_back(bundle_);
    args.push_back(id_);
    return runtime(args, 60s);
  }

  static bool has(const CommandResult& run, const std::string& text) {
    return run.out.find(text) != std::string::npos;
  }

  uint64_t pool_start_ = 0;
  std::string pool_;
  std::string block_device_;
};

// From the host's side the container's init runs as a leased uid, not as root.
TEST_F(SandboxIsolation, ContainerRootIsAnUnprivilegedHostUid) {
  for (bool sandbox : {true, false}) {
    SCOPED_TRACE(sandbox ? "sandboxed" : "plain");
    write_config([&](json& c) {
      privileged(c, block_device_);
      c["process"]["args"] = {"/probe", "sleep", "1000"};
    });
    std::vector<std::string> create = mode_flags(sandbox);
    for (const char* arg : {"create", "--bundle"}) create.push_back(arg);
    create.push_back(bundle_);
    create.push_back(id_);
    CommandResult created = runtime(create);
    ASSERT_EQ(created.exit_code, 0) << created.describe();
    int pid = init_pid();
    ASSERT_GT(pid, 0);
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line, uids;
    while (std::getline(status, line))
      if (line.rfind("Uid:", 0) == 0) uids = line.substr(4);
    std::istringstream words(uids);
    for (uint64_t uid; words >> uid;) {
      if (sandbox) {
        EXPECT_GE(uid, pool_start_) << "Uid:" << uids;
        EXPECT_LT(uid, pool_start_ + 2 * kRange) << "Uid:" << uids;
      } else {
        EXPECT_EQ(uid, 0u) << "plain --privileged is host root; Uid:" << uids;
      }
    }
    CommandResult deleted = runtime({"delete", "-f", id_});
    ASSERT_EQ(deleted.exit_code, 0) << deleted.describe();
  }
}

// Its own pid namespace hides the host's processes and every other container's. Sharing the
// host's (the part removed) shows both, and sandbox mode refuses that config.
TEST_F(SandboxIsolation, HostProcessesAndOtherContainersAreInvisible) {
  std::string other = extra_id("other");
  write_config([](json& c) { c["process"]["args"] = {"/probe", "sleep", "4243"}; });
  CommandResult started = runtime({"run", "-d", "--bundle", bundle_, other});
  ASSERT_EQ(started.exit_code, 0) << started.describe();
  // The patterns are bracketed so they do not match this script's own command line.
  const std::string script =
      "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' <$f; echo; done | "
      "grep -q 'integration_securit[y]' && echo sees host test; "
      "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' <$f; echo; done | grep -q 'sleep 424[3]' && "
      "echo sees other container; kill -0 " +
      std::to_string(::getpid()) + " 2>/dev/null && echo signals host pid; echo done";
  CommandResult sandboxed = run_privileged(true, script);
  ASSERT_EQ(sandboxed.exit_code, 0) << sandboxed.describe();
  EXPECT_TRUE(has(sandboxed, "done")) << sandboxed.describe();
  EXPECT_FALSE(has(sandboxed, "sees host test")) << sandboxed.describe();
  EXPECT_FALSE(has(sandboxed, "sees other container")) << sandboxed.describe();

  CommandResult refused = run_privileged(true, script, without_pid_namespace);
  EXPECT_NE(refused.exit_code, 0) << refused.describe();
  EXPECT_NE(refused.err.find("sandbox mode: linux.namespaces has no pid namespace"),
            std::string::npos)
      << refused.describe();
  CommandResult plain = run_privileged(false, script, without_pid_namespace);
  ASSERT_EQ(plain.exit_code, 0) << plain.describe();
  EXPECT_TRUE(has(plain, "sees host test")) << plain.describe();
  EXPECT_TRUE(has(plain, "sees other container")) << plain.describe();
  EXPECT_TRUE(has(plain, "signals host pid")) << plain.describe();
  runtime({"delete", "-f", other});
}

// No host block device node is passed in, none can be made, and the host's root filesystem
// cannot be mounted; plain --privileged reads and mounts it.
TEST_F(SandboxIsolation, HostBlockDevicesAreAbsentAndCannotBeMounted) {
  if (block_device_.empty()) GTEST_SKIP() << "/ is not on a block device here";
  write_text(work_ + "/host-marker", "host\n");
  const std::string dev = "/dev/" + block_device_;
  struct stat node {};
  ASSERT_EQ(::stat(dev.c_str(), &node), 0);
  const std::string script =
      "ls " + dev + " >/dev/null 2>&1 && echo node passed; mknod /tmp/disk b " +
      std::to_string(major(node.st_rdev)) + " " + std::to_string(minor(node.st_rdev)) +
      " 2>/dev/null && echo node made; mkdir -p /tmp/m; for d in " + dev +
      " /tmp/disk; do mount -t ext4 $d /tmp/m 2>/dev/null && break; done; cat /tmp/m" + work_ +
      "/host-marker 2>/dev/null && echo host root mounted; umount /tmp/m 2>/dev/null; echo done";
  CommandResult sandboxed = run_privileged(true, script);
  ASSERT_EQ(sandboxed.exit_code, 0) << sandboxed.describe();
  EXPECT_TRUE(has(sandboxed, "done")) << sandboxed.describe();
  EXPECT_NE(sandboxed.err.find("host devices withheld: " + dev), std::string::npos)
      << sandboxed.describe();
  for (const char* escaped : {"node passed", "node made", "host root mounted"})
    EXPECT_FALSE(has(sandboxed, escaped)) << sandboxed.describe();

  CommandResult plain = run_privileged(false, script);
  ASSERT_EQ(plain.exit_code, 0) << plain.describe();
  for (const char* escaped : {"node passed", "node made", "host root mounted"})
    EXPECT_TRUE(has(plain, escaped)) << plain.describe();
}

// The host's files have no path from inside: not through another process's /proc/<pid>/root
// (the host's processes are not in its pid namespace) nor any mount it was not given. With the
// host's pid namespace (the part removed; sandbox mode refuses it) plain --privileged reads a
// host-root 0600 file through the test process's root. (What an engine binds in is another
// matter: binds are idmapped, so host-root files on them are container root's, as with docker.)
TEST_F(SandboxIsolation, HostRootFilesAreUnreachable) {
  std::string secret = work_ + "/secret";
  write_text(secret, "host secret\n");
  ASSERT_EQ(::chmod(secret.c_str(), 0600), 0);
  const std::string script = "cat /proc/" + std::to_string(::getpid()) + "/root" + secret + " " +
                             secret + " 2>/dev/null; echo done";
  CommandResult sandboxed = run_privileged(true, script);
  ASSERT_EQ(sandboxed.exit_code, 0) << sandboxed.describe();
  EXPECT_TRUE(has(sandboxed, "done")) << sandboxed.describe();
  EXPECT_FALSE(has(sandboxed, "host secret")) << sandboxed.describe();

  CommandResult plain = run_privileged(false, script, without_pid_namespace);
  ASSERT_EQ(plain.exit_code, 0) << plain.describe();
  EXPECT_TRUE(has(plain, "host secret")) << plain.describe();
}

// A host daemon's socket (root:docker 0660, the host's docker socket's modes) is not there and
// has no path from inside; plain --privileged with the host's pid namespace connects to it
// through the test process's /proc/<pid>/root. (Bound in by the engine, it is container root's:
// binds are idmapped, README: Sandbox mode.)
TEST_F(SandboxIsolation, TheHostsDockerSocketIsUnreachable) {
  std::string socket_path = work_ + "/docker.sock";
  Listener listener(socket_path);
  ASSERT_TRUE(listener.ok()) << socket_path << ": " << std::strerror(errno);
  const group* docker = ::getgrnam("docker");
  ASSERT_EQ(::chown(socket_path.c_str(), 0, docker ? docker->gr_gid : 0), 0);
  ASSERT_EQ(::chmod(socket_path.c_str(), 0660), 0);
  const std::string through_proc = "/proc/" + std::to_string(::getpid()) + "/root" + socket_path;

  for (const std::string& path : {socket_path, through_proc, std::string("/run/docker.sock")}) {
    CommandResult sandboxed = run_privileged(true, "/probe connect " + path);
    json answer = last_json_line(sandboxed.out);
    EXPECT_EQ(answer["ok"], false) << path << "\n" << sandboxed.describe();
    EXPECT_EQ(answer["errno"], "ENOENT") << path << "\n" << sandboxed.describe();
  }

  CommandResult plain =
      run_privileged(false, "/probe connect " + through_proc, without_pid_namespace);
  EXPECT_EQ(last_json_line(plain.out)["ok"], true) << plain.describe();
}

// init_module and finit_module fail with EPERM; plain --privileged reaches the kernel's own
// answer (ENOSYS on a kernel without modules, else ENOEXEC/EBADF for these harmless arguments).
TEST_F(SandboxIsolation, KernelModulesCannotBeLoaded) {
  const std::string script = "/probe syscalls init_module:0:0:0 finit_module:-1:0:0";
  CommandResult sandboxed = run_privileged(true, script);
  json results = last_json_line(sandboxed.out)["results"];
  EXPECT_EQ(results["init_module"]["errno"], "EPERM") << sandboxed.describe();
  EXPECT_EQ(results["finit_module"]["errno"], "EPERM") << sandboxed.describe();

  CommandResult plain = run_privileged(false, script);
  json plain_results = last_json_line(plain.out)["results"];
  EXPECT_TRUE(plain_results.is_object()) << plain.describe();
  EXPECT_NE(plain_results["init_module"]["errno"], "EPERM") << plain.describe();
  EXPECT_NE(plain_results["finit_module"]["errno"], "EPERM") << plain.describe();
}

// Host sysctls (not namespaced) stay the host root's. The probe writes back the value it read,
// so the plain run that succeeds changes nothing.
TEST_F(SandboxIsolation, HostSysctlsCannotBeWritten) {
  const std::string key = "/proc/sys/kernel/printk_ratelimit";
  if (::access(key.c_str(), W_OK) != 0) GTEST_SKIP() << key << " is not writable here";
  const std::string script =
      "v=$(cat " + key + "); (echo $v >" + key + ") 2>/dev/null && echo sysctl written; echo done";
  CommandResult sandboxed = run_privileged(true, script);
  ASSERT_EQ(sandboxed.exit_code, 0) << sandboxed.describe();
  EXPECT_TRUE(has(sandboxed, "done")) << sandboxed.describe();
  EXPECT_FALSE(has(sandboxed, "sysctl written")) << sandboxed.describe();

  CommandResult plain = run_privileged(false, script);
  ASSERT_EQ(plain.exit_code, 0) << plain.describe();
  EXPECT_TRUE(has(plain, "sysctl written")) << plain.describe();
}

// The delegated cgroup is the container's to subdivide, but its own limits stay the parent's.
TEST_F(SandboxIsolation, OwnCgroupLimitsCannotBeRaised) {
  if (::access("/sys/fs/cgroup/pids/cgroup.procs", F_OK) != 0 ||
      ::access("/sys/fs/cgroup/memory/cgroup.procs", F_OK) != 0)
    GTEST_SKIP() << "no v1 pids and memory hierarchies (cgroup v2 is the VM tier's)";
  const std::string script =
      "echo 200 >/sys/fs/cgroup/pids/pids.max 2>/dev/null && echo pids raised; "
      "echo 536870912 >/sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null && "
      "echo memory raised; echo limits $(cat /sys/fs/cgroup/pids/pids.max "
      "/sys/fs/cgroup/memory/memory.limit_in_bytes)";
  CommandResult sandboxed = run_privileged(true, script);
  ASSERT_EQ(sandboxed.exit_code, 0) << sandboxed.describe();
  EXPECT_TRUE(has(sandboxed, "limits 100 268435456")) << sandboxed.describe();
  EXPECT_FALSE(has(sandboxed, "raised")) << sandboxed.describe();

  CommandResult plain = run_privileged(false, script);
  ASSERT_EQ(plain.exit_code, 0) << plain.describe();
  EXPECT_TRUE(has(plain, "pids raised")) << plain.describe();
  EXPECT_TRUE(has(plain, "memory raised")) << plain.describe();
}

}  // namespace
}  // namespace integration
