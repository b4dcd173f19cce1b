// Behaviour that scripts and engines written for runc depend on (README: Compatibility with
// runc). Every test runs against the runtime under test and passes against runc too
// (BURROW_TEST_RUNTIME=/usr/sbin/runc): the behaviour is pinned to runc's.
#include <linux/magic.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>

#include "harness/console_socket.hpp"
#include "harness/container_test.hpp"
#include "harness/environment.hpp"

namespace integration {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using RuncCompat = ContainerTest;

const std::string kRunc = "/usr/sbin/runc";

// `<binary> spec [--rootless] --bundle <dir>`'s config.json, without the hostname (each names
// itself there).
json spec_output(const std::string& binary, const std::string& dir, bool rootless) {
  std::filesystem::create_directories(dir);
  std::vector<std::string> argv = {binary, "spec"};
  if (rootless) argv.push_back("--rootless");
  argv.insert(argv.end(), {"--bundle", dir});
  CommandResult result = run_command(argv, dir);
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  json config = json::parse(read_text(dir + "/config.json"), nullptr, false);
  if (config.is_object()) config.erase("hostname");
  return config;
}

// Scripts do `runc spec`, edit the config with jq and run it: the defaults must be runc's, key for
// key (terminal true, the ambient set, ...), but for the hostname.
TEST_F(RuncCompat, SpecWritesRuncsDefaults) {
  if (::access(kRunc.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << kRunc << " to compare with";
  for (bool rootless : {false, true}) {
    std::string tag = rootless ? "rootless" : "root";
    json ours = spec_output(runtime_path(), work_ + "/spec-under-test-" + tag, rootless);
    json runcs = spec_output(kRunc, work_ + "/spec-runc-" + tag, rootless);
    ASSERT_TRUE(ours.is_object());
    EXPECT_EQ(ours, runcs) << tag << " differs from runc's: " << json::diff(runcs, ours).dump();
  }
}

// The runc script's shape: spec, point it at a rootfs and a command, `run -d --console-socket`.
// With a default of terminal false that failed ("cannot use console socket if runc will not
// detach or allocate tty").
TEST_F(RuncCompat, SpecConfigRunsDetachedOnAConsoleSocket) {
  ASSERT_EQ(runtime({"spec", "--bundle", bundle_}).exit_code, 0);
  json config = json::parse(read_text(bundle_ + "/config.json"));
  EXPECT_EQ(config["process"]["terminal"], true);
  config["root"]["path"] = rootfs_;
  config["process"]["args"] = {"/bin/sh", "-c", "tty; echo spec-default-ran; sleep 30"};
  write_config_text(config.dump());
  ConsoleSocket socket(work_ + "/console.sock");
  ASSERT_TRUE(socket.ok());
  auto run = start_runtime(
      {"run", "-d", "--console-socket", work_ + "/console.sock", "--bundle", bundle_, id_}, "run");
  int master = socket.receive_master();
  CommandResult started = run->wait(30s);
  ASSERT_EQ(started.exit_code, 0) << started.describe();
  ASSERT_GE(master, 0) << "no pty master arrived on the console socket";
  std::string output = read_until(master, "spec-default-ran", 10s);
  ::close(master);
  EXPECT_NE(output.find("/dev/pts/"), std::string::npos) << output;
  EXPECT_NE(output.find("spec-default-ran"), std::string::npos) << output;
}

// profiles/default.json cut back to the syscalls a profile of 2020 knew, with EPERM for the rest:
// the shape of many profiles still in use (they predate faccessat2, which glibc uses for
// faccessat with AT_EACCESS).
json profile_of_2020() {
  static const std::set<std::string> newer = {"faccessat2",        "close_range",
                                              "epoll_pwait2",      "openat2",
                                              "pidfd_open",        "pidfd_send_signal",
                                              "pidfd_getfd",       "process_madvise",
                                              "mount_setattr",     "landlock_create_ruleset",
                                              "landlock_add_rule", "landlock_restrict_self",
                                              "memfd_secret",      "futex_waitv",
                                              "process_mrelease",  "clone3",
                                              "io_uring_setup",    "io_uring_enter",
                                              "io_uring_register", "cachestat",
                                              "fchmodat2",         "map_shadow_stack",
                                              "quotactl_fd",       "set_mempolicy_home_node"};
  json profile = json::parse(read_text(std::string(BURROW_SOURCE_DIR) + "/profiles/default.json"));
  json seccomp = profile["linux"]["seccomp"];
  seccomp["defaultAction"] = "SCMP_ACT_ERRNO";
  seccomp["defaultErrnoRet"] = 1;  // EPERM, as profiles of that time answered
  json rules = json::array();
  for (json rule : seccomp["syscalls"]) {
    if (rule.value("action", "") != "SCMP_ACT_ALLOW") continue;  // keep the allow list only
    json names = json::array();
    for (const auto& name : rule["names"]) {
      if (!newer.count(name.get<std::string>())) names.push_back(name);
    }
    if (names.empty()) continue;
    rule["names"] = names;
    rules.push_back(rule);
  }
  seccomp["syscalls"] = rules;
  return seccomp;
}

// With noNewPrivileges false the filter is loaded before the executable and the cwd are looked
// up; faccessat2 answers EPERM there, and the lookup must judge by the file's mode bits (runc:
// Go's exec.LookPath) instead of failing every container.
TEST_F(RuncCompat, ExecutableIsFoundUnderAProfileWithoutFaccessat2) {
  json seccomp = profile_of_2020();
  for (const char* arg0 : {"sh", "/bin/sh"}) {
    CommandResult result = run_container([&](json& c) {
      c["process"]["noNewPrivileges"] = false;
      c["process"]["cwd"] = "/tmp";
      c["process"]["args"] = {arg0, "-c", "echo found-and-ran in $(pwd)"};
      c["linux"]["seccomp"] = seccomp;
      c["mounts"].push_back({{"destination", "/tmp"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
    });
    EXPECT_EQ(result.exit_code, 0) << arg0 << ": " << result.describe();
    EXPECT_EQ(result.out, "found-and-ran in /tmp\n") << arg0 << ": " << result.describe();
    runtime({"delete", "--force", id_});
  }
}

// A file without any execute bit is still refused under that profile (the fallback is a check,
// not a pass).
TEST_F(RuncCompat, NonExecutableIsRefusedUnderAProfileWithoutFaccessat2) {
  json seccomp = profile_of_2020();
  CommandResult result = run_container([&](json& c) {
    c["process"]["noNewPrivileges"] = false;
    c["process"]["args"] = {"/etc/passwd"};
    c["linux"]["seccomp"] = seccomp;
  });
  EXPECT_NE(result.exit_code, 0) << result.describe();
  expect_error(result, "args_not_executable");
}

// A cgroup mount with neither `ro` nor `rw` is read-write, as in runc: dockerd sends exactly that
// for --privileged containers, and docker:dind makes its cgroups there. The sub-cgroup the
// container made goes with it at delete (TearDown checks that nothing is left).
TEST_F(RuncCompat, CgroupMountWithoutRoIsWritable) {
  if (!std::filesystem::exists("/sys/fs/cgroup/memory/cgroup.procs"))
    GTEST_SKIP() << "no v1 memory hierarchy on this host";
  json made = probe_json([](json& c) {
    for (auto& mount : c["mounts"]) {
      if (mount["type"] == "cgroup") mount["options"] = {"nosuid", "noexec", "nodev", "relatime"};
    }
    c["process"]["args"] = probe_args({"mkdir", "/sys/fs/cgroup/memory/made-inside"});
  });
  EXPECT_EQ(made["ok"], true) << made.dump();
}

// runc and crun bring up `lo` of a new network namespace: 127.0.0.1 answers.
TEST_F(RuncCompat, NewNetworkNamespaceHasLoopbackUp) {
  CommandResult result = run_container([](json& c) {
    c["process"]["args"] = {"/bin/sh", "-c", "cat /sys/class/net/lo/flags"};
  });
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "0x9\n") << "IFF_UP|IFF_LOOPBACK expected: " << result.describe();
}

// A tmpfs without `mode=` takes the mode of the directory it covers (runc, crun): /srv is 0755 in
// the rootfs, /tmp 1777; the kernel's default would make both 1777.
TEST_F(RuncCompat, TmpfsWithoutModeTakesTheDirectorysMode) {
  CommandResult result = run_container([](json& c) {
    for (const char* where : {"/srv", "/tmp"})
      c["mounts"].push_back({{"destination", where}, {"type", "tmpfs"}, {"source", "tmpfs"}});
    c["process"]["args"] = {"/bin/sh", "-c", "stat -c '%n %a' /srv /tmp"};
  });
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "/srv 755\n/tmp 1777\n") << result.describe();
}

// A bind mount on "/" covers the rootfs (runc): listed first, the container runs on the bound tree
// and the mounts after it (/proc, /dev, ...) land on top of it.
TEST_F(RuncCompat, BindMountOnRootCoversTheRootfs) {
  std::string other_root = work_ + "/other-root";
  ASSERT_EQ(run_command({"cp", "-a", rootfs_, other_root}, work_).exit_code, 0);
  write_text(other_root + "/marker", "from-the-bound-root\n");
  CommandResult result = run_container([&](json& c) {
    json mounts = json::array(
        {{{"destination", "/"}, {"type", "bind"}, {"source", other_root}, {"options", {"rbind"}}}});
    for (const auto& mount : c["mounts"]) mounts.push_back(mount);
    c["mounts"] = mounts;
    c["process"]["args"] = {"/bin/sh", "-c", "cat /marker; test -r /proc/self/status && echo proc"};
  });
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "from-the-bound-root\nproc\n") << result.describe();
}

// A read-only /dev (`ro` on its tmpfs) still gets its nodes, links and /dev/pts (runc makes them
// first and the mount read-only last).
TEST_F(RuncCompat, ReadOnlyDevIsFilledFirst) {
  CommandResult result = run_container([](json& c) {
    for (auto& mount : c["mounts"])
      if (mount["destination"] == "/dev") mount["options"].push_back("ro");
    c["process"]["args"] = {"/bin/sh", "-c",
                            "test -c /dev/null && test -L /dev/ptmx && "
                            "grep -q ' /dev/pts ' /proc/self/mountinfo && echo filled; "
                            "touch /dev/new 2>/dev/null || echo read-only"};
  });
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "filled\nread-only\n") << result.describe();
}

// The cwd is entered before the switch to the process user (runc): a 0700 root-owned directory
// works as the cwd of uid 1000, which could not enter it itself.
TEST_F(RuncCompat, CwdIsEnteredBeforeTheUserSwitch) {
  std::string private_dir = work_ + "/private";
  std::filesystem::create_directory(private_dir);
  std::filesystem::permissions(private_dir, std::filesystem::perms::owner_all);
  CommandResult result = run_container([&](json& c) {
    c["mounts"].push_back({{"destination", "/srv"},
                           {"type", "bind"},
                           {"source", private_dir},
                           {"options", {"rbind"}}});
    c["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
    c["process"]["cwd"] = "/srv";
    c["process"]["args"] = {"/bin/sh", "-c", "echo $(id -u) in $(pwd)"};
  });
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "1000 in /srv\n") << result.describe();
}

// A missing cwd is made (mkdir -p, 0755, owned by the container's root, as runc).
TEST_F(RuncCompat, MissingCwdIsMade) {
  CommandResult result = run_container([](json& c) {
    c["mounts"].push_back({{"destination", "/srv"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
    c["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
    c["process"]["cwd"] = "/srv/made/deeper";
    c["process"]["args"] = {"/bin/sh", "-c",
                            "pwd; stat -c '%n %a %u:%g' /srv/made /srv/made/deeper"};
  });
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "/srv/made/deeper\n/srv/made 755 0:0\n/srv/made/deeper 755 0:0\n")
      << result.describe();
}

// Prints "leader" when the shell leads its own session and process group, "has-tty" when it has a
// controlling terminal (/proc/<pid>/stat fields 1, 5, 6, 7: pid, pgrp, session, tty_nr).
const char* const kSessionReport =
    "set -- $(cut -d' ' -f1,5-7 /proc/$$/stat); [ $1 = $2 ] && [ $1 = $3 ] && echo leader; "
    "[ $4 != 0 ] && echo has-tty; echo end-of-report";

// Every process runc starts in a container leads a session of its own: the init and an exec,
// without a terminal too (a session outside the pid namespace reads 0 there); `exec -t` has the
// pty as its controlling terminal.
TEST_F(RuncCompat, ContainerProcessesLeadTheirOwnSession) {
  CommandResult init = run_container([](json& c) {
    c["process"]["args"] = {"/bin/sh", "-c", kSessionReport};
  });
  EXPECT_EQ(init.out, "leader\nend-of-report\n") << init.describe();
  runtime({"delete", "--force", id_});

  create_and_start([](json& c) { c["process"]["args"] = {"sleep", "300"}; });
  CommandResult exec = runtime({"exec", id_, "/bin/sh", "-c", kSessionReport});
  EXPECT_EQ(exec.out, "leader\nend-of-report\n") << exec.describe();

  ConsoleSocket socket(work_ + "/console.sock");
  ASSERT_TRUE(socket.ok());
  auto with_tty = start_runtime({"exec", "-t", "-d", "--console-socket", work_ + "/console.sock",
                                 id_, "/bin/sh", "-c", std::string(kSessionReport) + "; sleep 5"},
                                "exec-tty");
  int master = socket.receive_master();
  CommandResult done = with_tty->wait(30s);
  ASSERT_EQ(done.exit_code, 0) << done.describe();
  ASSERT_GE(master, 0) << "no pty master arrived on the console socket";
  std::string output = read_until(master, "end-of-report", 10s);
  ::close(master);
  EXPECT_NE(output.find("leader\r\nhas-tty\r\nend-of-report"), std::string::npos) << output;
}

// createContainer hooks run from the rootfs (runc chdirs there before running them).
TEST_F(RuncCompat, CreateContainerHooksRunFromTheRootfs) {
  std::string out = work_ + "/hook-cwd";
  CommandResult result = run_container([&](json& c) {
    c["process"]["args"] = {"true"};
    c["hooks"]["createContainer"] = {
        {{"path", "/bin/sh"}, {"args", {"sh", "-c", "pwd -P > " + out}}}};
  });
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(read_text(out), std::filesystem::canonical(rootfs_).string() + "\n");
}

// With noNewPrivileges the filter is loaded before the init waits for `start`, so the
// startContainer hooks run under it (runc 1.1), as they do without noNewPrivileges.
TEST_F(RuncCompat, StartContainerHooksRunUnderTheSeccompFilter) {
  std::string out = work_ + "/hook-out";
  std::filesystem::create_directory(out);
  for (bool no_new_privileges : {true, false}) {
    CommandResult result = run_container([&](json& c) {
      c["process"]["args"] = {"true"};
      c["process"]["noNewPrivileges"] = no_new_privileges;
      c["mounts"].push_back(
          {{"destination", "/srv"}, {"type", "bind"}, {"source", out}, {"options", {"rbind"}}});
      c["linux"]["seccomp"] = {
          {"defaultAction", "SCMP_ACT_ALLOW"},
          {"syscalls", {{{"names", {"mknodat"}}, {"action", "SCMP_ACT_ERRNO"}}}}};
      c["hooks"]["startContainer"] = {
          {{"path", "/bin/sh"},
           {"args", {"sh", "-c", "grep Seccomp: /proc/self/status > /srv/seccomp"}}}};
    });
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(read_text(out + "/seccomp"), "Seccomp:\t2\n")
        << "noNewPrivileges " << no_new_privileges;
    runtime({"delete", "--force", id_});
  }
}

// Device cgroup access letters other than r, w and m are ignored (runc): "rwa" allows read and
// write. 1:12 is a char device no driver answers: an allowed open says ENXIO, a denied one EPERM.
TEST_F(RuncCompat, DeviceAccessIgnoresUnknownLetters) {
  CommandResult result = run_container([](json& c) {
    c["linux"]["devices"] = {
        {{"path", "/dev/testdev"}, {"type", "c"}, {"major", 1}, {"minor", 12}}};
    c["linux"]["resources"]["devices"].push_back(
        {{"allow", true}, {"type", "c"}, {"major", 1}, {"minor", 12}, {"access", "rwa"}});
    c["process"]["args"] = {"/bin/sh", "-c",
                            "head -c1 /dev/testdev 2>&1; (echo > /dev/testdev) 2>&1; true"};
  });
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out,
            "head: /dev/testdev: No such device or address\n"
            "/bin/sh: can't create /dev/testdev: No such device or address\n")
      << result.describe();
}

// SCMP_ACT_NOTIFY on write is refused before anything starts (runc's words): the init's own
// writes under the filter would wait for an agent that is not answering yet.
TEST_F(RuncCompat, NotifyOnWriteIsRefused) {
  write_config([&](json& c) {
    c["linux"]["seccomp"] = {{"defaultAction", "SCMP_ACT_ALLOW"},
                             {"listenerPath", work_ + "/agent.sock"},
                             {"syscalls", {{{"names", {"write"}}, {"action", "SCMP_ACT_NOTIFY"}}}}};
  });
  expect_error(runtime({"run", "--bundle", bundle_, id_}), "seccomp_notify_on_write");
}

// A failing poststart hook fails `run` and takes the container with it (runc, crun; the
// runtime-spec would only warn).
TEST_F(RuncCompat, FailingPoststartFailsRunAndRemovesTheContainer) {
  write_config([](json& c) {
    c["process"]["args"] = {"sleep", "300"};
    c["hooks"]["poststart"] = {
        {{"path", "/bin/sh"}, {"args", {"sh", "-c", "echo poststart-fails >&2; exit 3"}}}};
  });
  CommandResult run = runtime({"run", "-d", "--bundle", bundle_, id_});
  EXPECT_NE(run.exit_code, 0) << run.describe();
  EXPECT_NE(run.err.find("poststart-fails"), std::string::npos) << run.describe();
  EXPECT_NE(runtime({"state", id_}).exit_code, 0) << "the failed run left its container";
}

// A user namespace with the maps runc's tests use (container 0 -> host 100000), without the cgroup
// mount (a cgroup v1 hierarchy of the host cannot be mounted from there).
void use_user_namespace(json& c) {
  c["linux"]["namespaces"].push_back({{"type", "user"}});
  c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
  c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
  auto& mounts = c["mounts"];
  for (auto it = mounts.begin(); it != mounts.end();) {
    it = ((*it)["type"] == "cgroup") ? mounts.erase(it) : it + 1;
  }
}

json bind_of(const std::string& source, const std::string& destination,
             std::vector<std::string> options) {
  return {{"destination", destination}, {"type", "bind"}, {"source", source}, {"options", options}};
}

// Bind sources are opened from the host side (runc: before the init is in its user namespace),
// so a source under a 0700 directory of host root reaches a container whose root is host uid
// 100000, which could not search that directory itself. The bind is no peer of the host's mount.
TEST_F(RuncCompat, BindSourceUnderARootOnlyDirectoryReachesAUserNamespace) {
  std::string private_dir = work_ + "/private";
  std::filesystem::create_directories(private_dir + "/shared");
  write_text(private_dir + "/shared/file", "dir-from-the-host\n");
  write_text(private_dir + "/single", "file-from-the-host\n");
  std::filesystem::permissions(private_dir, std::filesystem::perms::owner_all);
  CommandResult result = run_container([&](json& c) {
    use_user_namespace(c);
    c["mounts"].push_back(bind_of(private_dir + "/shared", "/srv", {"rbind", "ro"}));
    c["mounts"].push_back(bind_of(private_dir + "/single", "/etc/hosts", {"bind", "ro"}));
    c["process"]["args"] = {"/bin/sh", "-c",
                            "cat /srv/file /etc/hosts; grep ' /srv ' /proc/self/mountinfo"};
  });
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out.rfind("dir-from-the-host\nfile-from-the-host\n", 0), 0u)
      << result.describe();
  EXPECT_EQ(result.out.find("shared:"), std::string::npos)
      << "the bind must not share mount events with the host: " << result.describe();
}

// Filesystem options on a bind (`mode=`, `size=`, anything the kernel's flag table does not know)
// are ignored, as runc 1.1 ignores them (mount(2) takes no data for a bind); the flags still
// apply: `ro` keeps the bind read-only.
TEST_F(RuncCompat, BindIgnoresFilesystemOptions) {
  std::string shared = work_ + "/shared";
  std::filesystem::create_directories(shared);
  write_text(shared + "/file", "bound-with-data-options\n");
  CommandResult result = run_container([&](json& c) {
    c["mounts"].push_back(
        bind_of(shared, "/srv", {"rbind", "ro", "mode=755", "size=10m", "uid=1000"}));
    c["process"]["args"] = {"/bin/sh", "-c",
                            "cat /srv/file; touch /srv/new 2>/dev/null || echo read-only"};
  });
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "bound-with-data-options\nread-only\n") << result.describe();
}

// A config without a mount namespace is refused, saying why. runc 1.1 runs it in the host's mount
// namespace: it makes the host's "/" rslave there (a shared "/" loses its propagation), and the
// rootfs bind, /proc, /dev, /sys and the cgroup mounts stay on the host after `delete`.
TEST_F(RuncCompat, ContainerWithoutAMountNamespaceIsRefused) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "runc runs it in the host's mount namespace: it changes the propagation of "
                    "the host's / and leaves the container's mounts on the host (README: "
                    "Compatibility with runc)";
  CommandResult result = run_container([](json& c) {
    auto& namespaces = c["linux"]["namespaces"];
    for (auto it = namespaces.begin(); it != namespaces.end();) {
      it = ((*it)["type"] == "mount") ? namespaces.erase(it) : it + 1;
    }
    c["linux"].erase("maskedPaths");  // refused without a mount namespace by runc too
    c["linux"].erase("readonlyPaths");
    c["process"]["args"] = {"true"};
  });
  expect_error(result, "mount_ns_required");
}

// Mounts a new procfs in a nested user, mount and pid namespace as uid 1000 (mapping itself to
// root there, which needs no capability), and says whether the kernel allowed it. The kernel
// allows it only when the mount namespace holds a procfs that is fully visible: no mount covers
// any of its files.
const char* const kNestedProcMount =
    "unshare -Urmpf --mount-proc /bin/sh -c 'echo nested-proc-mounted' 2>&1; true";

// --no-pivot (MS_MOVE + chroot) leaves the host's root mounted under the container's: runc then
// detaches the host's full procfs and sysfs mounts first (in a user namespace, where they are
// locked, covers them with a tmpfs), so that the container's masked /proc is the only procfs
// left and a nested procfs mount stays "too revealing" (EPERM), as it is with pivot_root.
// Without masks that /proc is fully visible and the nested mount works, every way.
TEST_F(RuncCompat, NoPivotKeepsNestedProcMountsTooRevealing) {
  auto run_nested_proc_mount = [&](bool no_pivot, bool masks, bool userns = false) {
    runtime({"delete", "-f", id_});
    write_config([&](json& c) {
      if (userns) use_user_namespace(c);
      c["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
      c["process"]["args"] = {"/bin/sh", "-c", kNestedProcMount};
      if (!masks) {
        c["linux"].erase("maskedPaths");
        c["linux"].erase("readonlyPaths");
      }
    });
    std::vector<std::string> args = {"run", "--bundle", bundle_, id_};
    if (no_pivot) args.insert(args.begin() + 1, "--no-pivot");
    return runtime(args);
  };
  for (bool no_pivot : {false, true}) {
    std::string how = no_pivot ? "--no-pivot" : "pivot_root";
    CommandResult masked = run_nested_proc_mount(no_pivot, true);
    EXPECT_EQ(masked.exit_code, 0) << how << ": " << masked.describe();
    EXPECT_NE(masked.out.find("can't mount proc on /proc"), std::string::npos)
        << how << ": " << masked.describe();
    EXPECT_NE(masked.out.find("Operation not permitted"), std::string::npos)
        << how << ": " << masked.describe();
    EXPECT_EQ(masked.out.find("nested-proc-mounted"), std::string::npos)
        << how << ": " << masked.describe();
    CommandResult unmasked = run_nested_proc_mount(no_pivot, false);
    EXPECT_EQ(unmasked.exit_code, 0) << how << ": " << unmasked.describe();
    EXPECT_EQ(unmasked.out, "nested-proc-mounted\n") << how << ": " << unmasked.describe();
  }
  CommandResult in_userns = run_nested_proc_mount(true, true, true);
  EXPECT_EQ(in_userns.exit_code, 0) << in_userns.describe();
  EXPECT_NE(in_userns.out.find("can't mount proc on /proc"), std::string::npos)
      << "user namespace, --no-pivot: " << in_userns.describe();
  CommandResult in_userns_unmasked = run_nested_proc_mount(true, false, true);
  EXPECT_EQ(in_userns_unmasked.out, "nested-proc-mounted\n")
      << "user namespace, --no-pivot: " << in_userns_unmasked.describe();
}

// `rootfsPropagation: unbindable`. As runc, on a rootfs that is a mount of its own (an overlay, as
// engines give): the runtime runs in a mount namespace of its own where the rootfs is bound onto
// itself. burrow (as runc 1.2) also runs a rootfs that lies on the host's "/" mount, whose
// unbindable copy runc 1.1 then fails to bind ("mount ...: invalid argument"), and makes the
// container's "/" unbindable (runc 1.1 leaves it as it was).
TEST_F(RuncCompat, UnbindableRootfsPropagationRuns) {
  std::string own_root = work_ + "/own-root";
  ASSERT_EQ(run_command({"cp", "-a", rootfs_, own_root}, work_).exit_code, 0);
  write_config([&](json& c) {
    c["root"]["path"] = own_root;
    c["linux"]["rootfsPropagation"] = "unbindable";
    c["process"]["args"] = {"/bin/sh", "-c",
                            "grep -E '^[0-9]+ [0-9]+ [^ ]+ [^ ]+ / ' "
                            "/proc/self/mountinfo; echo ran"};
  });
  const char* script =
      "mount --bind \"$4\" \"$4\" && exec \"$0\" --root \"$1\" run --bundle \"$2\" \"$3\"";
  CommandResult own =
      run_command({"unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script,
                   runtime_path(), state_root_, bundle_, id_, own_root},
                  work_);
  EXPECT_EQ(own.exit_code, 0) << own.describe();
  EXPECT_NE(own.out.find("\nran\n"), std::string::npos) << own.describe();
  if (!runtime_is_burrow()) return;  // runc 1.1 fails on the host's "/" (above)
  EXPECT_NE(own.out.find(" unbindable "), std::string::npos) << own.describe();
  runtime({"delete", "-f", id_});
  CommandResult on_host_root = run_container([](json& c) {
    c["linux"]["rootfsPropagation"] = "unbindable";
    c["process"]["args"] = {"/bin/sh", "-c",
                            "grep -E '^[0-9]+ [0-9]+ [^ ]+ [^ ]+ / ' "
                            "/proc/self/mountinfo; echo ran"};
  });
  EXPECT_EQ(on_host_root.exit_code, 0) << on_host_root.describe();
  EXPECT_NE(on_host_root.out.find(" unbindable "), std::string::npos) << on_host_root.describe();
  EXPECT_NE(on_host_root.out.find("\nran\n"), std::string::npos) << on_host_root.describe();
}

bool host_is_cgroup2() {
  struct statfs st {};
  return ::statfs("/sys/fs/cgroup", &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
}

// runc 1.1 ignores linux.resources.memory.kernel and kernelTCP ("Kernel memory settings are
// ignored and will be removed"): kernels deprecate them since 5.4, and on 6.x a kmem limit has no
// effect. burrow ignores them too, with a debug line naming the field.
TEST_F(RuncCompat, KernelMemoryLimitsAreIgnored) {
  std::string log = work_ + "/debug.log";
  write_config([](json& c) {
    c["process"]["args"] = {"/bin/sh", "-c", "echo ran"};
    c["linux"]["resources"]["memory"] = {{"kernel", 67108864}, {"kernelTCP", 33554432}};
  });
  CommandResult result = runtime({"--debug", "--log", log, "run", "--bundle", bundle_, id_});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "ran\n") << result.describe();
  if (runtime_is_burrow()) {
    std::string text = read_text(log);
    for (const char* field :
         {"linux.resources.memory.kernel: ", "linux.resources.memory.kernelTCP: "})
      EXPECT_NE(text.find(field), std::string::npos) << field << " not in the debug log:\n" << text;
  }
}

// runc never reads ociVersion: configs for other runtime-spec versions ("1.0.2-dev" of Debian's
// dockerd, "1.2.0", "1.3.0"), old or malformed ones ("0.5.0", "foo", "", none) all run.
TEST_F(RuncCompat, AnyOciVersionRuns) {
  for (const char* version : {"1.0.2-dev", "1.2.0", "1.3.0", "0.5.0", "2.0.0", "foo", "", "-"}) {
    CommandResult result = run_container([&](json& c) {
      c["process"]["args"] = {"/bin/sh", "-c", "echo ran"};
      if (std::string(version) == "-")
        c.erase("ociVersion");
      else
        c["ociVersion"] = version;
    });
    EXPECT_EQ(result.exit_code, 0) << "ociVersion \"" << version << "\": " << result.describe();
    EXPECT_EQ(result.out, "ran\n") << "ociVersion \"" << version << "\": " << result.describe();
    runtime({"delete", "--force", id_});
  }
}

// linux.resources.unified needs a cgroup v2 host: runc refuses it on v1 and hybrid hosts
// ("invalid configuration: cannot use unified on cgroup v1") before anything is made; an empty
// map is no request and runs.
TEST_F(RuncCompat, UnifiedOnCgroupV1IsRefused) {
  if (host_is_cgroup2()) GTEST_SKIP() << "/sys/fs/cgroup is a cgroup2: unified applies here";
  CommandResult empty = run_container([](json& c) {
    c["process"]["args"] = {"true"};
    c["linux"]["resources"]["unified"] = json::object();
  });
  EXPECT_EQ(empty.exit_code, 0) << empty.describe();
  runtime({"delete", "--force", id_});
  CommandResult refused = run_container([](json& c) {
    c["process"]["args"] = {"true"};
    c["linux"]["resources"]["unified"] = {{"pids.max", "100"}};
  });
  expect_error(refused, "unified_on_v1");
  EXPECT_NE(refused.err.find("cannot use unified on cgroup v1"), std::string::npos)
      << refused.describe();
}

// The policy's name in /proc/self/numa_maps (its second field, on every mapping without a policy
// of its own), as `cut` sees it: the policy was set before execve and is inherited.
const char* const kNumaPolicyOfCat = "cut -d' ' -f2 /proc/self/numa_maps | sort -u";

// linux.memoryPolicy (runtime-spec 1.3): set_mempolicy(2) by the init before execve, and by exec
// for its process, so the container's processes allocate where the config says.
TEST_F(RuncCompat, MemoryPolicyIsSetForTheContainersProcesses) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "runc 1.1.5 predates linux.memoryPolicy and ignores it (runc 1.3 sets it)";
  if (!std::filesystem::exists("/proc/self/numa_maps"))
    GTEST_SKIP() << "a kernel without NUMA: no memory policies";
  struct Case {
    json policy;
    std::string shown;  // mpol_to_str's spelling
  };
  const Case cases[] = {
      {{{"mode", "MPOL_BIND"}, {"nodes", "0"}}, "bind:0"},
      {{{"mode", "MPOL_INTERLEAVE"}, {"nodes", "0"}, {"flags", {"MPOL_F_STATIC_NODES"}}},
       "interleave=static:0"},
      {{{"mode", "MPOL_PREFERRED"}, {"nodes", "0"}}, "prefer:0"},
      {{{"mode", "MPOL_BIND"}, {"nodes", "0"}, {"flags", {"MPOL_F_NUMA_BALANCING"}}},
       "bind=balancing:0"},
      {{{"mode", "MPOL_LOCAL"}}, "local"},
      {{{"mode", "MPOL_DEFAULT"}}, "default"},
  };
  for (const Case& one : cases) {
    CommandResult result = run_container([&](json& c) {
      c["process"]["args"] = {"/bin/sh", "-c", kNumaPolicyOfCat};
      c["linux"]["memoryPolicy"] = one.policy;
    });
    EXPECT_EQ(result.exit_code, 0) << one.policy << ": " << result.describe();
    EXPECT_EQ(result.out, one.shown + "\n") << one.policy << ": " << result.describe();
    runtime({"delete", "--force", id_});
  }
  create_and_start([](json& c) {
    c["process"]["args"] = {"sleep", "300"};
    c["linux"]["memoryPolicy"] = {{"mode", "MPOL_INTERLEAVE"}, {"nodes", "0"}};
  });
  CommandResult exec = runtime({"exec", id_, "/bin/sh", "-c", kNumaPolicyOfCat});
  EXPECT_EQ(exec.exit_code, 0) << exec.describe();
  EXPECT_EQ(exec.out, "interleave:0\n") << exec.describe();
}

// A policy the config gets wrong is refused by name before anything starts; one the host cannot
// set (a node it lacks) fails the create, naming the call and the nodes.
TEST_F(RuncCompat, MemoryPolicyErrorsNameTheField) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "runc 1.1.5 predates linux.memoryPolicy and ignores it (runc 1.3 sets it)";
  for (const auto& [policy, key] : std::vector<std::pair<json, std::string>>{
           {{{"mode", "MPOL_FOO"}}, "mempolicy_bad_mode"},
           {{{"mode", "MPOL_BIND"}, {"nodes", "0-"}}, "mempolicy_bad_nodes"},
           {{{"mode", "MPOL_BIND"}}, "mempolicy_no_nodes"},
           {{{"mode", "MPOL_BIND"}, {"nodes", "0"}, {"flags", {"MPOL_F_FOO"}}},
            "mempolicy_bad_flag"},
           {{{"mode", "MPOL_BIND"}, {"nodes", "63"}}, "mempolicy_missing_node"}}) {
    write_config([&](json& c) {
      c["process"]["args"] = {"true"};
      c["linux"]["memoryPolicy"] = policy;
    });
    expect_error(runtime({"run", "--bundle", bundle_, id_}), key);
    runtime({"delete", "--force", id_});
  }
}

// A new cgroup of a v1 cpu hierarchy (RT_GROUP_SCHED) starts with cpu.rt_runtime_us 0: no
// realtime CPU time, so SCHED_FIFO and SCHED_RR fail with EPERM. The error names the file of the
// container's cgroup and the field to set; with linux.resources.cpu.realtimeRuntime it runs.
TEST_F(RuncCompat, RealtimeSchedulerWithoutRealtimeRuntimeSaysSo) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "runc 1.1.5 ignores process.scheduler (runc 1.2 sets it, and fails the same "
                    "way with a bare EPERM)";
  if (!std::filesystem::exists("/sys/fs/cgroup/cpu/cpu.rt_runtime_us"))
    GTEST_SKIP() << "no cpu.rt_runtime_us in a v1 cpu hierarchy at /sys/fs/cgroup/cpu (a kernel "
                    "without RT_GROUP_SCHED, or cgroup v2): new cgroups get realtime time here "
                    "(the message is unit-tested in tests/cgroups)";
  for (const char* policy : {"SCHED_FIFO", "SCHED_RR"}) {
    auto realtime = [&](json& c) {
      c["linux"]["cgroupsPath"] = "/" + id_;
      c["process"]["scheduler"] = {{"policy", policy}, {"priority", 1}};
      // rt_priority and policy of `cut` itself (/proc/<pid>/stat fields 40 and 41)
      c["process"]["args"] = {"/bin/sh", "-c", "cut -d' ' -f40,41 /proc/self/stat"};
    };
    CommandResult refused = run_container(realtime);
    expect_error(refused, std::string("realtime_without_runtime_") + policy,
                 "/sys/fs/cgroup/cpu/" + id_);
    runtime({"delete", "--force", id_});
    CommandResult granted = run_container([&](json& c) {
      realtime(c);
      c["linux"]["resources"]["cpu"] = {{"realtimeRuntime", 10000}, {"realtimePeriod", 1000000}};
    });
    EXPECT_EQ(granted.exit_code, 0) << granted.describe();
    EXPECT_EQ(granted.out,
              std::string("1 ") + (policy == std::string("SCHED_FIFO") ? "1" : "2") + "\n")
        << granted.describe();
    runtime({"delete", "--force", id_});
  }
  // exec's process likewise (a process file with the scheduler).
  create_and_start([&](json& c) {
    c["linux"]["cgroupsPath"] = "/" + id_;
    c["process"]["args"] = {"sleep", "300"};
  });
  write_text(work_ + "/process.json",
             json({{"args", {"true"}},
                   {"cwd", "/"},
                   {"user", {{"uid", 0}, {"gid", 0}}},
                   {"scheduler", {{"policy", "SCHED_FIFO"}, {"priority", 1}}}})
                 .dump());
  expect_error(runtime({"exec", "-p", work_ + "/process.json", id_}),
               "exec_realtime_without_runtime", "/sys/fs/cgroup/cpu/" + id_);
}

// runc's --version lines, one per line ("<name> version X", "spec: ...", "libseccomp: ..."), and
// help for every command runc has, checkpoint included (burrow's says it is not supported).
TEST_F(RuncCompat, VersionLinesAndHelpForEveryRuncCommand) {
  CommandResult version = run_command({runtime_path(), "--version"}, work_);
  EXPECT_EQ(version.exit_code, 0) << version.describe();
  EXPECT_NE(version.out.find(" version "), std::string::npos) << version.describe();
  EXPECT_NE(version.out.find("\nspec: 1."), std::string::npos) << version.describe();
  EXPECT_NE(version.out.find("\nlibseccomp: 2."), std::string::npos) << version.describe();
  for (const char* command :
       {"checkpoint", "restore", "create", "run", "exec", "kill", "delete", "state", "list", "spec",
        "pause", "resume", "update", "events", "ps", "features"}) {
    CommandResult help = run_command({runtime_path(), command, "-h"}, work_);
    EXPECT_EQ(help.exit_code, 0) << command << ": " << help.describe();
    EXPECT_NE(help.out.find(std::string(" ") + command + " - "), std::string::npos)
        << command << ": " << help.describe();
    CommandResult via_help = run_command({runtime_path(), "help", command}, work_);
    EXPECT_EQ(via_help.exit_code, 0) << command << ": " << via_help.describe();
  }
  if (runtime_is_burrow()) {
    CommandResult checkpoint = runtime({"checkpoint", id_});
    EXPECT_NE(checkpoint.exit_code, 0);
    EXPECT_NE(checkpoint.err.find("checkpoint is not supported by burrow (no CRIU "
                                  "checkpoint/restore)"),
              std::string::npos)
        << checkpoint.describe();
  }
}

}  // namespace
}  // namespace integration
