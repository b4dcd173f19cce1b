// Sandbox mode (`--sandbox`, `burrow-sandbox`, run.burrow.sandbox=true): the container an engine
// asked for, user-namespaced with a leased id range, as a system container, with --privileged
// privileged inside only and the host's namespaces refused. burrow's own mode: skipped under
// other runtimes. (The engines' side, dockerd with burrow-sandbox registered, is a clients test.)
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "harness/container_test.hpp"
#include "harness/environment.hpp"

namespace integration {
namespace {

using nlohmann::json;

constexpr uint64_t kRange = 65536;
constexpr int kCapSysAdmin = 21;

class Sandbox : public ContainerTest {
 protected:
  void SetUp() override {
    ContainerTest::SetUp();
    if (!runtime_is_burrow()) GTEST_SKIP() << "sandbox mode is burrow's own";
    // Two ranges of this test process's own (UsernsAuto's formula, the next two ranges).
    pool_start_ = 1879048192 + (static_cast<uint64_t>(::getpid()) % 1000) * 4 * kRange + 2 * kRange;
    pool_ = std::to_string(pool_start_) + ":" + std::to_string(2 * kRange);
  }

  CommandResult run_sandboxed(const Tweak& tweak, const std::string& program = "") {
    write_config(tweak);
    std::vector<std::string> argv{program.empty() ? runtime_path() : program, "--root", state_root_,
                                  "--userns-pool", pool_};
    if (program.empty()) argv.push_back("--sandbox");
    for (const char* arg : {"run", "--bundle"}) argv.push_back(arg);
    argv.push_back(bundle_);
    argv.push_back(id_);
    return run_command(argv, work_);
  }

  // The host uid the probe's uid_map maps container root to; 0 when it maps none.
  static uint64_t host_root_of(const json& report) {
    std::istringstream map(report.value("uid_map", ""));
    uint64_t inside = 1, outside = 0, size = 0;
    map >> inside >> outside >> size;
    return inside == 0 && size == kRange ? outside : 0;
  }

  static bool has_capability(const json& report, int bit) {
    std::string hex = report["capabilities"]["CapEff"];
    return (std::stoull(hex, nullptr, 16) >> bit) & 1;
  }

  uint64_t pool_start_ = 0;
  std::string pool_;
};

json last_json(const std::string& out) {
  std::istringstream lines(out);
  json last;
  for (std::string line; std::getline(lines, line);) {
    json parsed = json::parse(line, nullptr, false);
    if (parsed.is_object()) last = parsed;
  }
  return last;
}

TEST_F(Sandbox, AnOrdinaryConfigBecomesAUserNamespacedSystemContainer) {
  CommandResult run = run_sandboxed({});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  json report = last_json(run.out);
  ASSERT_TRUE(report.is_object()) << run.describe();
  uint64_t root = host_root_of(report);
  EXPECT_TRUE(root == pool_start_ || root == pool_start_ + kRange)
      << "container root is not a leased host uid: " << report["uid_map"];
  EXPECT_TRUE(has_capability(report, kCapSysAdmin)) << "root lacks CAP_SYS_ADMIN in its namespace";
  EXPECT_NE(report["namespaces"]["cgroup"], host_namespace_inode("cgroup").value_or(0));
  EXPECT_NE(report["namespaces"]["user"], host_namespace_inode("user").value_or(0));
  for (const auto& mount : report["mounts"]) {
    std::string point = mount["mount_point"];
    EXPECT_NE(point, "/proc/kcore") << "a mask under /proc blocks nested procfs mounts";
    EXPECT_NE(point, "/proc/sys") << "/proc/sys is read-only";
  }
}

TEST_F(Sandbox, NestedProcfsAndSysfsMount) {
  CommandResult run = run_sandboxed([](json& c) {
    c["process"]["args"] = {
        "/bin/sh", "-c",
        "mkdir -p /dev/p /dev/s && unshare -p -f -m -n sh -c "
        "'mount -t proc proc /dev/p && mount -t sysfs sysfs /dev/s && echo nested: $(ls "
        "/dev/p/1/stat) $(ls -d /dev/s/class)'"};
  });
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_NE(run.out.find("nested: /dev/p/1/stat /dev/s/class"), std::string::npos)
      << run.describe();
}

TEST_F(Sandbox, PrivilegedIsPrivilegedInsideTheSandboxOnly) {
  if (::access("/dev/kmsg", F_OK) != 0) GTEST_SKIP() << "no /dev/kmsg on this host";
  CommandResult run = run_sandboxed([](json& c) {
    json names = {"CAP_CHOWN",      "CAP_DAC_OVERRIDE", "CAP_SYS_ADMIN", "CAP_SYS_MODULE",
                  "CAP_SYS_RAWIO",  "CAP_NET_ADMIN",    "CAP_SETUID",    "CAP_SETGID",
                  "CAP_SYS_PTRACE", "CAP_MKNOD"};
    for (const char* set : {"bounding", "effective", "permitted"})
      c["process"]["capabilities"][set] = names;
    c["linux"].erase("seccomp");
    c["linux"]["devices"] = {
        {{"path", "/dev/kmsg"}, {"type", "c"}, {"major", 1}, {"minor", 11}, {"fileMode", 0644}}};
    c["process"]["args"] = {
        "/bin/sh", "-c",
        "echo devices: $(ls /dev); "
        "(echo 0 >/proc/sys/kernel/sysrq) 2>/dev/null && echo host sysctl written; "
        "(echo never >/sys/kernel/mm/transparent_hugepage/enabled) 2>/dev/null && "
        "echo host sysfs written; "
        "mknod /dev/sda0 b 8 0 2>/dev/null && echo block node made; echo done"};
  });
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_NE(run.err.find("sandbox mode: --privileged is privileged inside the sandbox only; host "
                         "devices withheld: /dev/kmsg"),
            std::string::npos)
      << run.describe();
  EXPECT_NE(run.out.find("devices: "), std::string::npos) << run.describe();
  EXPECT_EQ(run.out.find("kmsg"), std::string::npos) << "the host's kmsg was passed through";
  // Every capability, but in its own user namespace: the host's sysctls and sysfs stay host
  // root's, and no device node can be made.
  EXPECT_NE(run.out.find("done"), std::string::npos) << run.describe();
  for (const char* escaped : {"host sysctl written", "host sysfs written", "block node made"})
    EXPECT_EQ(run.out.find(escaped), std::string::npos) << run.describe();
}

TEST_F(Sandbox, TheHostsPidNamespaceIsRefusedAndNothingIsLeft) {
  CommandResult run = run_sandboxed([](json& c) {
    json kept = json::array();
    for (const auto& ns : c["linux"]["namespaces"])
      if (ns["type"] != "pid") kept.push_back(ns);
    c["linux"]["namespaces"] = kept;
  });
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("config.json: sandbox mode: linux.namespaces has no pid namespace: the "
                         "container would share the host's processes (--pid=host); a sandboxed "
                         "container has its own"),
            std::string::npos)
      << run.describe();
  EXPECT_FALSE(std::filesystem::exists(state_root_ + "/" + id_)) << "the refused create left state";
  for (uint64_t lease : {pool_start_, pool_start_ + kRange})
    EXPECT_FALSE(std::filesystem::exists("/run/burrow-ids/" + std::to_string(lease)))
        << "a refused create kept an id lease";

  // Joined by path: the host's pid namespace under another name is refused the same way.
  const std::string host_pid_ns = "/proc/" + std::to_string(::getpid()) + "/ns/pid";
  CommandResult joined = run_sandboxed([&](json& c) {
    for (auto& ns : c["linux"]["namespaces"])
      if (ns["type"] == "pid") ns["path"] = host_pid_ns;
  });
  EXPECT_NE(joined.exit_code, 0);
  EXPECT_NE(joined.err.find("config.json: sandbox mode: linux.namespaces joins the host's pid "
                            "namespace (" +
                            host_pid_ns + ")"),
            std::string::npos)
      << joined.describe();
  EXPECT_FALSE(std::filesystem::exists(state_root_ + "/" + id_)) << "the refused create left state";
}

TEST_F(Sandbox, ChosenByTheBurrowSandboxNameOrTheAnnotation) {
  std::string link = std::filesystem::path(runtime_path()).parent_path() / "burrow-sandbox";
  if (!std::filesystem::exists(link))
    GTEST_SKIP() << "no burrow-sandbox link beside " << runtime_path();
  CommandResult by_name = run_sandboxed({}, link);
  ASSERT_EQ(by_name.exit_code, 0) << by_name.describe();
  EXPECT_NE(host_root_of(last_json(by_name.out)), 0u) << by_name.describe();

  write_config([](json& c) { c["annotations"]["run.burrow.sandbox"] = "true"; });
  CommandResult annotated = runtime({"--userns-pool", pool_, "run", "--bundle", bundle_, id_});
  ASSERT_EQ(annotated.exit_code, 0) << annotated.describe();
  EXPECT_NE(host_root_of(last_json(annotated.out)), 0u) << annotated.describe();

  // Without either, the same config runs as the host's root, as before.
  write_config({});
  CommandResult plain = runtime({"--userns-pool", pool_, "run", "--bundle", bundle_, id_});
  ASSERT_EQ(plain.exit_code, 0) << plain.describe();
  EXPECT_EQ(host_root_of(last_json(plain.out)), 0u) << plain.describe();
}

// dockerd, containerd and podman keep rootfs trees below root-only dirs, which container root (a
// leased host uid) cannot search: the parent stages the rootfs on its mount detour and the init
// reaches it from its cwd (linux/mount_detour.hpp).
TEST_F(Sandbox, ARootfsBelowARootOnlyDirectoryRuns) {
  std::string private_dir = work_ + "/private";
  ASSERT_EQ(::mkdir(private_dir.c_str(), 0700), 0);
  CommandResult copied =
      run_command({"cp", "-a", rootfs_, private_dir + "/rootfs"}, work_, std::chrono::seconds(60));
  ASSERT_EQ(copied.exit_code, 0) << copied.describe();
  CommandResult run = run_sandboxed([&](json& c) {
    c["root"]["path"] = private_dir + "/rootfs";
    c["process"]["args"] = {"/bin/sh", "-c", "cat /proc/self/uid_map; echo ran in $(pwd)"};
  });
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_NE(run.out.find("ran in /"), std::string::npos) << run.describe();
  std::istringstream map(run.out);
  uint64_t inside = 1, outside = 0;
  map >> inside >> outside;
  EXPECT_EQ(inside, 0u);
  EXPECT_GE(outside, pool_start_) << run.describe();
  EXPECT_FALSE(std::filesystem::exists(state_root_ + "/" + id_)) << "run left its state dir";
}

}  // namespace
}  // namespace integration
