// Regressions for escapes that reached host resources through runc or crun: cgroup files
// (CVE-2022-0492, CVE-2023-25809), device nodes (a host disk with CAP_MKNOD), a working directory
// on a leaked fd (CVE-2016-9962, CVE-2024-21626), and the created init's executable
// (CVE-2019-5736). Each attempts the attack from inside a container and asserts it fails.
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "harness/command.hpp"
#include "harness/container_test.hpp"
#include "harness/environment.hpp"

namespace integration {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class Security : public ContainerTest {
 protected:
  // The probe's JSON answer to one command, e.g. {"ok":false,"errno":"EROFS"}.
  json probe_answer(const std::vector<std::string>& args, const Tweak& tweak = {}) {
    CommandResult run = run_container([&](json& c) {
      c["process"]["args"] = probe_args(args);
      if (tweak) tweak(c);
    });
    return last_json_line(run.out);
  }
};

// CVE-2022-0492: release_agent of a v1 hierarchy runs as host root. The container sees its
// cgroups read-only (and, in its cgroup namespace, not the hierarchy root at all).
TEST_F(Security, ReleaseAgentCannotBeWritten) {
  for (const char* hierarchy : {"memory", "pids", "devices"}) {
    std::string path = std::string("/sys/fs/cgroup/") + hierarchy + "/release_agent";
    if (::access(("/sys/fs/cgroup/" + std::string(hierarchy)).c_str(), F_OK) != 0) continue;
    json answer = probe_answer({"write", path, "/tmp/evil"});
    ASSERT_TRUE(answer.is_object()) << hierarchy;
    EXPECT_EQ(answer["ok"], false) << path << " was writable";
  }
}

// CVE-2023-25809: without delegation the container's own limits are not its to change.
TEST_F(Security, CgroupLimitsAreReadOnlyWithoutDelegation) {
  if (::access("/sys/fs/cgroup/pids", F_OK) != 0) GTEST_SKIP() << "no v1 pids hierarchy";
  json answer = probe_answer({"write", "/sys/fs/cgroup/pids/pids.max", "max"}, [](json& c) {
    c["linux"]["resources"]["pids"] = {{"limit", 50}};
  });
  ASSERT_TRUE(answer.is_object());
  EXPECT_EQ(answer["ok"], false) << "pids.max was writable";
  EXPECT_EQ(answer["errno"], "EROFS");
}

// Delegation (run.burrow.cgroup.delegate) hands the container its cgroups, not its limits: they
// are files of its own cgroup that stay host root's, out of reach of the container's root (host
// uid 100000 in a user namespace) though the mount is writable and the dir its own. v1 here; the
// v2 counterpart runs in the VM tier (CgroupDelegation.V2LimitsStayOutOfReach...).
TEST_F(Security, DelegatedCgroupLimitsCannotBeRaised) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "run.burrow.cgroup.delegate is burrow's own annotation";
  for (const char* c : {"memory", "pids"}) {
    if (::access(("/sys/fs/cgroup/" + std::string(c) + "/cgroup.procs").c_str(), F_OK) != 0)
      GTEST_SKIP() << "no v1 " << c << " hierarchy";
  }
  CommandResult run = run_container([](json& c) {
    c["annotations"]["run.burrow.cgroup.delegate"] = "true";
    c["linux"]["namespaces"].push_back({{"type", "user"}});
    c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    c["linux"]["resources"]["memory"] = {{"limit", 64 << 20}};
    c["linux"]["resources"]["pids"] = {{"limit", 50}};
    c["process"]["args"] = {
        "/bin/sh", "-c",
        "cd /sys/fs/cgroup; /probe write memory/memory.limit_in_bytes 1073741824; "
        "/probe write pids/pids.max max; /probe read memory/memory.limit_in_bytes; "
        "/probe read pids/pids.max; /probe mkdir pids/child"};
  });
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  std::vector<json> answers;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);)
    answers.push_back(json::parse(line, nullptr, false));
  ASSERT_EQ(answers.size(), 5u) << run.describe();
  for (size_t i : {0, 1}) {
    EXPECT_EQ(answers[i]["ok"], false) << "a limit was raised: " << answers[i];
    std::string err = answers[i].value("errno", "");
    EXPECT_TRUE(err == "EACCES" || err == "EPERM" || err == "EROFS") << err;
  }
  EXPECT_EQ(answers[2]["content"], std::to_string(64 << 20) + "\n");
  EXPECT_EQ(answers[3]["content"], "50\n");
  EXPECT_EQ(answers[4]["ok"], true)
      << "delegated, the container makes child cgroups: " << answers[4];
}

// With CAP_MKNOD (Docker grants it) a node of the host's root disk can be made, but the device
// cgroup (v1 devices list, v2 eBPF program) refuses opening it.
TEST_F(Security, HostDiskNodeCannotBeOpenedEvenWithMknod) {
  struct stat root {};
  ASSERT_EQ(::stat("/", &root), 0);
  std::string major = std::to_string(major(root.st_dev));
  std::string minor = std::to_string(minor(root.st_dev));
  CommandResult run = run_container([&](json& c) {
    for (const char* set : {"bounding", "effective", "permitted"})
      c["process"]["capabilities"][set].push_back("CAP_MKNOD");
    c["mounts"].push_back({{"destination", "/scratch"},
                           {"type", "tmpfs"},
                           {"source", "tmpfs"},
                           {"options", {"nosuid", "mode=755"}}});
    c["process"]["args"] = {"/bin/sh", "-c",
                            "mknod /scratch/disk b " + major + " " + minor +
                                " && echo made && /probe read /scratch/disk"};
  });
  EXPECT_NE(run.out.find("made"), std::string::npos) << run.describe();
  json answer = last_json_line(run.out);
  ASSERT_TRUE(answer.is_object()) << run.describe();
  EXPECT_EQ(answer["ok"], false) << "the host disk " << major << ":" << minor << " was readable";
  EXPECT_EQ(answer["errno"], "EPERM");
}

// CVE-2024-21626: a working directory on an fd the runtime leaked would be the host's. Every
// fd number the runtime could have had open: refused, or the process runs with no host dir.
TEST_F(Security, CwdOnAProcSelfFdIsNeverAHostDirectory) {
  for (int fd = 3; fd <= 20; ++fd) {
    std::string cwd = "/proc/self/fd/" + std::to_string(fd);
    CommandResult run = run_container([&](json& c) {
      c["process"]["cwd"] = cwd;
      c["process"]["args"] = probe_args({"read", "../../../../etc/hostname"});
    });
    if (run.exit_code != 0) continue;  // refused: harmless
    json answer = last_json_line(run.out);
    ASSERT_TRUE(answer.is_object()) << cwd << ": " << run.describe();
    if (answer["ok"] == true) {
      EXPECT_NE(answer["content"], read_text("/etc/hostname")) << cwd << " reached the host";
    }
  }
}

// CVE-2019-5736: a process in the container must not reach the created-state init's
// executable (a clone of the runtime): /proc/1/exe from a process exec'd into the container.
TEST_F(Security, CreatedInitsExecutableIsOutOfReach) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "Debian's runc 1.1.5 lets a process exec'd into a created container open "
                    "/proc/1/exe (its installed binary)";
  write_config([](json& c) { c["process"]["args"] = probe_args({"signals"}); });
  ASSERT_EQ(runtime({"create", "--bundle", bundle_, id_}).exit_code, 0);
  // Opening the link needs ptrace access to the init; a non-dumpable init refuses it. (Were it
  // readable, the probe could not print the binary as JSON and the test fails all the same.)
  CommandResult exec = runtime({"exec", id_, "/probe", "read", "/proc/1/exe"});
  json answer = last_json_line(exec.out);
  ASSERT_TRUE(answer.is_object()) << exec.describe();
  EXPECT_EQ(answer["ok"], false) << "the init's executable was reachable: " << answer;
}

}  // namespace
}  // namespace integration

namespace integration {
namespace {

// The first capability this process (and so the runtime) lacks in its bounding set, if any.
std::optional<std::string> capability_outside_bounding_set() {
  static const std::pair<int, const char*> kCandidates[] = {
      {CAP_SYS_RESOURCE, "CAP_SYS_RESOURCE"}, {CAP_SYS_MODULE, "CAP_SYS_MODULE"},
      {CAP_SYS_RAWIO, "CAP_SYS_RAWIO"},       {CAP_MAC_ADMIN, "CAP_MAC_ADMIN"},
      {CAP_SYS_BOOT, "CAP_SYS_BOOT"},         {CAP_SYS_TIME, "CAP_SYS_TIME"}};
  for (const auto& [cap, name] : kCandidates)
    if (::prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 0) return std::string(name);
  return std::nullopt;
}

// Without a user namespace of its own a container cannot gain a capability the runtime lacks:
// refused up front, naming it; nothing is left behind (TearDown checks).
TEST_F(Security, CapabilitiesBeyondTheBoundingSetAreRefused) {
  auto missing = capability_outside_bounding_set();
  if (!missing) GTEST_SKIP() << "this host's bounding set holds every candidate capability";
  write_config([&](json& c) {
    for (const char* set : {"bounding", "effective", "permitted"})
      c["process"]["capabilities"][set].push_back(*missing);
  });
  CommandResult create = runtime({"create", "--bundle", bundle_, id_});
  EXPECT_NE(create.exit_code, 0) << create.describe();
  if (runtime_is_burrow()) {
    EXPECT_NE(create.err.find("config.json: process.capabilities: " + *missing +
                              " not in the runtime's bounding set"),
              std::string::npos)
        << create.err;
  }
}

}  // namespace
}  // namespace integration

namespace integration {
namespace {

// A private copy of the shared rootfs the test may change (the shared one is read-only for tests).
std::string private_rootfs(const std::string& shared, const std::string& work) {
  std::string copy = work + "/rootfs";
  std::string command = "cp -a '" + shared + "' '" + copy + "'";
  return std::system(command.c_str()) == 0 ? copy : "";
}

// CVE-2019-19921 / CVE-2025-52881 class: a rootfs whose /proc is a symlink (here to /etc) would
// have procfs mounted, and later "/proc" writes land, somewhere else. Refused, nothing left.
TEST_F(Security, ProcSymlinkInTheRootfsIsRefused) {
  std::string rootfs = private_rootfs(rootfs_, work_);
  ASSERT_FALSE(rootfs.empty());
  ASSERT_EQ(
      std::system(("rm -rf '" + rootfs + "/proc' && ln -s /etc '" + rootfs + "/proc'").c_str()), 0);
  write_config([&](json& c) { c["root"]["path"] = rootfs; });
  CommandResult create = runtime({"create", "--bundle", bundle_, id_});
  EXPECT_NE(create.exit_code, 0) << create.describe();
  if (runtime_is_burrow()) {
    EXPECT_NE(create.err.find("mount proc on /proc: the destination is a symlink in the rootfs"),
              std::string::npos)
        << create.err;
  }
  EXPECT_EQ(read_text(rootfs + "/etc/hostname").find("Linux"), std::string::npos);
  struct stat etc {};
  ASSERT_EQ(::stat((rootfs + "/etc").c_str(), &etc), 0);
  struct stat parent {};
  ASSERT_EQ(::stat(rootfs.c_str(), &parent), 0);
  EXPECT_EQ(etc.st_dev, parent.st_dev) << "something is mounted on the rootfs's /etc";
}

// The red team's two delegation holes (issue 20): container root without a user namespace is host
// root, so a writable cgroup tree would let it raise its own pids.max and memory limit; and a
// cgroupsPath naming an existing cgroup (here one holding a host process) would be chowned to
// the container's root for good. Both are refused at create, and nothing changes on the host.
TEST_F(Security, DelegationWithoutAUserNamespaceIsRefused) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "run.burrow.cgroup.delegate is burrow's own annotation";
  CommandResult run = run_container([&](json& c) {
    c["annotations"]["run.burrow.cgroup.delegate"] = "true";
    c["linux"]["cgroupsPath"] = "/" + id_;
    c["linux"]["resources"]["pids"] = {{"limit", 8}};
    c["process"]["args"] = {"/bin/sh", "-c", "echo max >/sys/fs/cgroup/pids/pids.max; echo ran"};
  });
  EXPECT_NE(run.exit_code, 0) << run.describe();
  EXPECT_EQ(run.out.find("ran"), std::string::npos) << run.describe();
  expect_error(run, "delegate_without_userns");
}

// A user namespace that maps the container's root to host root is no boundary for the limit
// files (host root owns them): delegation is refused as without a user namespace.
TEST_F(Security, DelegationToHostRootThroughAUserNamespaceIsRefused) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "run.burrow.cgroup.delegate is burrow's own annotation";
  CommandResult run = run_container([&](json& c) {
    c["annotations"]["run.burrow.cgroup.delegate"] = "true";
    c["linux"]["cgroupsPath"] = "/" + id_;
    c["linux"]["namespaces"].push_back({{"type", "user"}});
    c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 0}, {"size", 65536}}};
    c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 0}, {"size", 65536}}};
    c["linux"]["resources"]["pids"] = {{"limit", 8}};
    c["process"]["args"] = {"/bin/sh", "-c", "echo max >/sys/fs/cgroup/pids/pids.max; echo ran"};
  });
  EXPECT_EQ(run.out.find("ran"), std::string::npos) << run.describe();
  expect_error(run, "delegate_to_host_root");
}

TEST_F(Security, DelegationOfAnExistingCgroupIsRefused) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "run.burrow.cgroup.delegate is burrow's own annotation";
  const std::string pids = "/sys/fs/cgroup/pids";
  if (::access((pids + "/cgroup.procs").c_str(), F_OK) != 0) GTEST_SKIP() << "no v1 pids hierarchy";
  // A cgroup that exists before the container, holding a host process.
  const std::string existing = pids + "/" + id_ + "-host";
  ASSERT_EQ(::mkdir(existing.c_str(), 0755), 0);
  auto host_process = std::make_unique<Command>(
      std::vector<std::string>{"/bin/sh", "-c",
                               "echo $$ >" + existing + "/cgroup.procs; exec sleep 60"},
      work_ + "/host.out", work_ + "/host.err");
  struct stat before {};
  for (int i = 0; i < 100 && read_text(existing + "/cgroup.procs").empty(); ++i)
    std::this_thread::sleep_for(20ms);
  ASSERT_EQ(::stat(existing.c_str(), &before), 0);
  CommandResult run = run_container([&](json& c) {
    c["annotations"]["run.burrow.cgroup.delegate"] = "true";
    c["linux"]["namespaces"].push_back({{"type", "user"}});
    c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    c["linux"]["cgroupsPath"] = "/" + id_ + "-host";
  });
  EXPECT_NE(run.exit_code, 0) << run.describe();
  EXPECT_NE(run.err.find("annotation run.burrow.cgroup.delegate=true: linux.cgroupsPath names the "
                         "existing cgroup "),
            std::string::npos)
      << run.describe();
  struct stat after {};
  ASSERT_EQ(::stat(existing.c_str(), &after), 0) << "the existing cgroup was removed";
  EXPECT_EQ(after.st_uid, before.st_uid) << "the existing cgroup changed owner";
  EXPECT_FALSE(read_text(existing + "/cgroup.procs").empty()) << "the host process was moved";
  host_process.reset();  // kills the sleep
  for (int i = 0; i < 100 && ::rmdir(existing.c_str()) != 0; ++i) std::this_thread::sleep_for(20ms);
}

// The red team's configuration: the dind profile's delegated cgroup and CAP_SYS_ADMIN in a user
// namespace of its own, but on the host's network, where sysfs cannot be mounted.
void delegated_on_host_network(json& c) {
  c["annotations"]["run.burrow.cgroup.delegate"] = "true";
  json namespaces = json::array();
  for (const auto& ns : c["linux"]["namespaces"])
    if (ns["type"] != "network") namespaces.push_back(ns);
  namespaces.push_back({{"type", "user"}});
  namespaces.push_back({{"type", "cgroup"}});
  c["linux"]["namespaces"] = namespaces;
  c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
  c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
  // The dind profile's root: CAP_SYS_ADMIN in its user namespace, so it may unmount.
  for (const char* set : {"bounding", "effective", "permitted"})
    c["process"]["capabilities"][set].push_back("CAP_SYS_ADMIN");
}

// Unmounts every mount below /sys, deepest first, as often as anything is left.
constexpr const char* kPeelEverythingBelowSys =
    "for round in 1 2 3 4 5 6 7 8; do "
    "  for m in $(awk '$5 ~ \"^/sys/\" {print $5}' /proc/self/mountinfo | sort -r); do "
    "    umount -l \"$m\" 2>/dev/null; done; done; ";

// The red team's sysfs hole (issue 20): a delegated container in a user namespace on the host's
// network cannot mount sysfs, and burrow bound the host's /sys recursively instead, bringing the
// host's cgroup hierarchies along under the container's own cgroup mounts. Container root
// unmounted those and wrote into another delegated container's cgroup.procs. Now the host's /sys
// comes without what is mounted under it, read-only: unmounting everything below /sys leaves an
// empty /sys/fs/cgroup, and nothing under /sys is writable.
TEST_F(Security, HostSysfsBringsNoHostCgroupTree) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "runc 1.1 refuses this config (mount sysfs: operation not permitted)";
  if (::access("/sys/fs/cgroup/pids/cgroup.procs", F_OK) != 0) GTEST_SKIP() << "no v1 pids";
  CommandResult run = run_container([&](json& c) {
    delegated_on_host_network(c);
    c["linux"]["resources"]["pids"] = {{"limit", 8}};
    c["process"]["args"] = {
        "/bin/sh", "-c",
        std::string(kPeelEverythingBelowSys) +
            "echo \"left: $(awk '$5 ~ \"^/sys/\" {print $5}' /proc/self/mountinfo | tr '\\n' ' "
            "')\"; "
            "echo \"cgroup dir: [$(ls -A /sys/fs/cgroup | tr '\\n' ' ')]\"; "
            "awk '$5 == \"/sys\" {print \"sys options: \" $6}' /proc/self/mountinfo; "
            "/probe mkdir /sys/burrow-test"};
  });
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_NE(run.out.find("cgroup dir: []"), std::string::npos)
      << "the host's cgroup tree showed under the container's /sys: " << run.describe();
  EXPECT_NE(run.out.find("sys options: ro,"), std::string::npos) << run.describe();
  json mkdir = last_json_line(run.out);
  EXPECT_EQ(mkdir["errno"], "EROFS") << run.describe();
}

// The rest of that hole (issue 20): the masks burrow laid over the host's /sys (maskedPaths:
// /sys/firmware) were made inside the container's user namespace, so its root could unmount them
// and read the host's firmware tables under them. The parent now stages the masks before the
// container's mount namespace is copied, which locks them to the sysfs (linux/host_sysfs.hpp).
TEST_F(Security, HostSysfsMasksCannotBePeeledOff) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "runc 1.1 refuses this config (mount sysfs: operation not permitted)";
  std::string host_firmware;
  for (const auto& entry : std::filesystem::directory_iterator("/sys/firmware"))
    host_firmware += entry.path().filename().string() + " ";
  if (host_firmware.empty())
    GTEST_SKIP() << "this host's /sys/firmware is empty: a peeled mask would show nothing";
  CommandResult run = run_container([&](json& c) {
    delegated_on_host_network(c);
    c["process"]["args"] = {
        "/bin/sh", "-c",
        std::string(kPeelEverythingBelowSys) +
            "echo \"firmware: [$(ls -A /sys/firmware | tr '\\n' ' ')]\"; "
            "echo \"masks left: $(awk '$5 == \"/sys/firmware\"' /proc/self/mountinfo | wc -l)\""};
  });
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_NE(run.out.find("firmware: []"), std::string::npos)
      << "the host's /sys/firmware (" << host_firmware << ") showed: " << run.describe();
  EXPECT_NE(run.out.find("masks left: 1"), std::string::npos) << run.describe();
}

// A cgroupsPath naming existing cgroups (here holding a host process) is used, not owned: delete
// removes neither the cgroups nor what is in them (burrow removed every hierarchy's dir it had
// not made, and its sweep killed the host's processes there).
TEST_F(Security, DeleteLeavesAnExistingCgroupAndItsProcesses) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "runc removes the cgroups it was given";
  const std::vector<std::string> hierarchies = {"pids", "memory", "freezer"};
  for (const auto& h : hierarchies)
    if (::access(("/sys/fs/cgroup/" + h + "/cgroup.procs").c_str(), F_OK) != 0)
      GTEST_SKIP() << "no v1 " << h << " hierarchy";
  const std::string name = id_ + "-host";
  for (const auto& h : hierarchies)
    ASSERT_EQ(::mkdir(("/sys/fs/cgroup/" + h + "/" + name).c_str(), 0755), 0) << h;
  const std::string pids = "/sys/fs/cgroup/pids/" + name;
  auto host_process = std::make_unique<Command>(
      std::vector<std::string>{"/bin/sh", "-c",
                               "echo $$ >" + pids + "/cgroup.procs; exec sleep 60"},
      work_ + "/host.out", work_ + "/host.err");
  for (int i = 0; i < 100 && read_text(pids + "/cgroup.procs").empty(); ++i)
    std::this_thread::sleep_for(20ms);
  std::string host_pid = read_text(pids + "/cgroup.procs");
  ASSERT_FALSE(host_pid.empty());
  CommandResult run = run_container([&](json& c) { c["linux"]["cgroupsPath"] = "/" + name; });
  EXPECT_EQ(run.exit_code, 0) << run.describe();
  ASSERT_EQ(runtime({"delete", "-f", id_}).exit_code, 0);
  for (const auto& h : hierarchies)
    EXPECT_EQ(::access(("/sys/fs/cgroup/" + h + "/" + name).c_str(), F_OK), 0)
        << "the existing " << h << " cgroup was removed";
  EXPECT_EQ(read_text(pids + "/cgroup.procs"), host_pid) << "the host process was killed";
  host_process.reset();  // kills the sleep
  for (const auto& h : hierarchies) {
    std::string dir = "/sys/fs/cgroup/" + h + "/" + name;
    for (int i = 0; i < 100 && ::rmdir(dir.c_str()) != 0; ++i) std::this_thread::sleep_for(20ms);
  }
}

// delete -f finishes whatever is missing: a container whose freezer cgroup was removed behind
// its back (its processes moved out) is deleted, state and the other cgroups with it.
TEST_F(Security, DeleteForceFinishesPastAMissingFreezerCgroup) {
  const std::string freezer_root = "/sys/fs/cgroup/freezer";
  if (::access((freezer_root + "/cgroup.procs").c_str(), F_OK) != 0)
    GTEST_SKIP() << "no v1 freezer hierarchy";
  create_and_start([&](json& c) {
    c["linux"]["cgroupsPath"] = "/" + id_;
    c["process"]["args"] = probe_args({"sleep", "60"});
  });
  const std::string freezer = freezer_root + "/" + id_;
  for (int round = 0; round < 5; ++round) {
    std::istringstream procs(read_text(freezer + "/cgroup.procs"));
    for (std::string pid; procs >> pid;) {
      std::ofstream out(freezer_root + "/cgroup.procs");
      out << pid;
    }
  }
  ASSERT_EQ(::rmdir(freezer.c_str()), 0) << "could not remove " << freezer;
  CommandResult deleted = runtime({"delete", "-f", id_});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.describe();
  EXPECT_NE(runtime({"state", id_}).exit_code, 0) << "the container is still there";
  EXPECT_NE(::access(("/sys/fs/cgroup/pids/" + id_).c_str(), F_OK), 0) << "pids cgroup left";
}

}  // namespace
}  // namespace integration
