// burrow exec: the exec'd process joins every namespace and cgroup of the init, gets the
// process spec's isolation and the command line's overrides; exit codes, signal forwarding,
// --detach with --pid-file, --preserve-fds, the errors of a stopped or paused container; and
// `ps` over the container's processes.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class ExecTest : public ContainerTest {
 protected:
  // create + start a container whose init sleeps; `tweak` changes its config.
  void start_sleeper(const Tweak& tweak = {}) {
    create_and_start([&](json& c) {
      c["process"]["args"] = probe_args({"sleep", "600"});
      if (tweak) tweak(c);
    });
  }

  CommandResult exec(std::vector<std::string> flags, const std::vector<std::string>& command) {
    std::vector<std::string> args{"exec"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(id_);
    args.insert(args.end(), command.begin(), command.end());
    return runtime(args);
  }
  // The probe's report from an exec'd /probe.
  json exec_probe(const std::vector<std::string>& flags = {}) {
    CommandResult result = exec(flags, {"/probe"});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    return last_json_line(result.out);
  }
  bool wait_until_status(const std::string& wanted) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (container_status(id_) == wanted) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
};

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::vector<std::string> fd_numbers(const json& report) {
  std::vector<std::string> fds;
  for (const auto& [fd, target] : report["fds"].items()) fds.push_back(fd);
  std::sort(fds.begin(), fds.end());
  return fds;
}

// Every namespace of the init, the user and cgroup ones included, and its cgroups.
TEST_F(ExecTest, JoinsEveryNamespaceAndCgroupOfTheInit) {
  start_sleeper([](json& c) {
    c["linux"]["namespaces"].push_back({{"type", "user"}});
    c["linux"]["namespaces"].push_back({{"type", "cgroup"}});
    c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
    auto& mounts = c["mounts"];
    for (auto it = mounts.begin(); it != mounts.end();)
      it = ((*it)["type"] == "cgroup") ? mounts.erase(it) : it + 1;
  });
  int init = init_pid();
  ASSERT_GT(init, 0);
  json report = exec_probe();
  ASSERT_TRUE(report.is_object());
  for (const char* ns : {"cgroup", "ipc", "mnt", "net", "pid", "user", "uts"}) {
    auto theirs = inode_of("/proc/" + std::to_string(init) + "/ns/" + ns);
    ASSERT_TRUE(theirs) << ns;
    EXPECT_EQ(report["namespaces"][ns], *theirs) << ns;
  }
  EXPECT_NE(report["pid"], 1) << "the init is pid 1; the exec'd process is another";
  EXPECT_EQ(report["uid"], 0);
  EXPECT_NE(report["uid_map"].get<std::string>().find("100000"), std::string::npos);
  // In the init's cgroup namespace, at its root, in every hierarchy: the init's cgroups.
  for (const auto& line : report["cgroup"]) {
    std::string text = line.get<std::string>();
    EXPECT_TRUE(text.ends_with(":/")) << text;
  }
  EXPECT_EQ(fd_numbers(report), (std::vector<std::string>{"0", "1", "2"})) << report["fds"];
}

// The process spec's isolation, as for the init.
TEST_F(ExecTest, SameIsolationAsTheInit) {
  start_sleeper();
  json report = exec_probe();
  ASSERT_TRUE(report.is_object());
  // The init (the probe sleeping) as the host sees it.
  std::ifstream status("/proc/" + std::to_string(init_pid()) + "/status");
  std::map<std::string, std::string> init_caps;
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("Cap")) init_caps[line.substr(0, 6)] = line.substr(line.find('\t') + 1);
  }
  for (const char* set : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"})
    EXPECT_EQ(report["capabilities"][set], init_caps[set]) << set;
  EXPECT_EQ(report["no_new_privs"], 1);
  CommandResult masked = exec({}, {"/probe", "read", "/proc/timer_list"});
  EXPECT_EQ(masked.exit_code, 0) << masked.describe();
  EXPECT_EQ(last_json_line(masked.out)["content"], "") << "/proc/timer_list is masked";
}

// As the init, a new session keyring named after the container, unless it was created with
// --no-new-keyring.
TEST_F(ExecTest, SessionKeyring) {
  start_sleeper();
  json report = exec_probe();
  ASSERT_TRUE(report["session_keyring"].is_string()) << report["session_keyring"];
  EXPECT_TRUE(report["session_keyring"].get<std::string>().ends_with(";_ses." + id_))
      << report["session_keyring"];
  std::string other = extra_id("keep");
  CommandResult created = runtime({"create", "--no-new-keyring", "--bundle", bundle_, other});
  ASSERT_EQ(created.exit_code, 0) << created.describe();
  CommandResult kept = runtime({"exec", other, "/probe"});
  ASSERT_EQ(kept.exit_code, 0) << kept.describe();
  json kept_report = last_json_line(kept.out);
  EXPECT_FALSE(kept_report["session_keyring"].get<std::string>().ends_with(";_ses." + other))
      << kept_report["session_keyring"];
}

TEST_F(ExecTest, ExitCodeOfTheProcess) {
  start_sleeper();
  EXPECT_EQ(exec({}, {"/probe", "exit", "7"}).exit_code, 7);
  EXPECT_EQ(exec({}, {"/bin/sh", "-c", "kill -9 $$"}).exit_code, 128 + 9);
  EXPECT_EQ(exec({}, {"true"}).exit_code, 0) << "resolved through the container's PATH";
}

TEST_F(ExecTest, SignalsAreForwarded) {
  start_sleeper();
  auto waiter = start_runtime({"exec", id_, "/probe", "signals"}, "exec");
  ASSERT_TRUE(waiter->wait_for_output("ready", 10s));
  waiter->send_signal(SIGUSR1);
  std::this_thread::sleep_for(100ms);
  waiter->send_signal(SIGTERM);
  CommandResult result = waiter->wait(10s);
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  std::string out = read_text(work_ + "/exec.out");
  EXPECT_NE(out.find("signal " + std::to_string(SIGUSR1)), std::string::npos) << out;
  EXPECT_NE(out.find("signal " + std::to_string(SIGTERM)), std::string::npos) << out;
}

TEST_F(ExecTest, DetachedWithPidFile) {
  start_sleeper();
  std::string pid_file = work_ + "/exec.pid";
  auto begin = std::chrono::steady_clock::now();
  CommandResult result = exec({"-d", "--pid-file", pid_file}, {"/probe", "sleep", "600"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 10s);
  int pid = std::stoi(read_text(pid_file));
  std::string cmdline = read_text("/proc/" + std::to_string(pid) + "/cmdline");
  EXPECT_EQ(cmdline, std::string("/probe") + '\0' + "sleep" + '\0' + "600" + '\0');
  // The init's cgroup in every hierarchy (v1 and the unified one), as the host sees them.
  EXPECT_EQ(read_text("/proc/" + std::to_string(pid) + "/cgroup"),
            read_text("/proc/" + std::to_string(init_pid()) + "/cgroup"));
  // ps lists the init and the exec'd sleeper.
  // (runc's own helper processes may still be leaving the cgroup for a moment.)
  CommandResult ps;
  std::vector<int> pids;
  for (int attempt = 0; attempt < 50; ++attempt) {
    ps = runtime({"ps", "-f", "json", id_});
    ASSERT_EQ(ps.exit_code, 0) << ps.describe();
    pids = json::parse(ps.out).get<std::vector<int>>();
    if (pids.size() == 2 || runtime_is_burrow()) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_NE(std::find(pids.begin(), pids.end(), init_pid()), pids.end()) << ps.out;
  EXPECT_NE(std::find(pids.begin(), pids.end(), pid), pids.end()) << ps.out;
  EXPECT_EQ(pids.size(), 2u) << ps.out;
  CommandResult table = runtime({"ps", id_, "-o", "pid,args"});
  ASSERT_EQ(table.exit_code, 0) << table.describe();
  std::istringstream lines(table.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_NE(header.find("PID"), std::string::npos) << table.out;
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 2u) << table.out;
  for (const auto& row : rows) EXPECT_NE(row.find("/probe sleep 600"), std::string::npos) << row;
}

TEST_F(ExecTest, CwdEnvUserAndGroups) {
  start_sleeper();
  json report =
      exec_probe({"--cwd", "/tmp", "-e", "FOO=bar", "-e", "SECOND=2", "-u", "1", "-g", "10"});
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["cwd"], "/tmp");
  auto env = report["env"].get<std::vector<std::string>>();
  EXPECT_TRUE(contains(env, "FOO=bar"));
  EXPECT_TRUE(contains(env, "SECOND=2"));
  EXPECT_TRUE(contains(env, "TERM=xterm")) << "the container's env stays";
  for (const char* key : {"uid", "euid", "suid"}) EXPECT_EQ(report[key], 1) << key;
  auto groups = report["groups"].get<std::vector<int>>();
  EXPECT_NE(std::find(groups.begin(), groups.end(), 10), groups.end());
  json with_gid = exec_probe({"-u", "1:2"});
  EXPECT_EQ(with_gid["gid"], 2);
  EXPECT_EQ(with_gid["egid"], 2);
}

// --cap: effective, permitted and bounding; the inheritable set stays empty (CVE-2022-29162).
TEST_F(ExecTest, CapAddsToEffectivePermittedBoundingOnly) {
  start_sleeper();
  json plain = exec_probe();
  json added = exec_probe({"--cap", "CAP_NET_ADMIN"});
  ASSERT_TRUE(plain.is_object() && added.is_object());
  const uint64_t net_admin = 1ull << 12;
  for (const char* set : {"CapEff", "CapPrm", "CapBnd"}) {
    uint64_t before = std::stoull(plain["capabilities"][set].get<std::string>(), nullptr, 16);
    uint64_t after = std::stoull(added["capabilities"][set].get<std::string>(), nullptr, 16);
    EXPECT_FALSE(before & net_admin) << set;
    EXPECT_EQ(after, before | net_admin) << set;
  }
  EXPECT_EQ(std::stoull(added["capabilities"]["CapInh"].get<std::string>(), nullptr, 16), 0u);
  EXPECT_EQ(std::stoull(added["capabilities"]["CapAmb"].get<std::string>(), nullptr, 16), 0u);
}

TEST_F(ExecTest, PreserveFdsPassesExactlyN) {
  start_sleeper();
  // fds 3, 4 and 5 open in the caller; two are passed.
  std::string command = "exec 3</etc/hostname 4</etc/hostname 5</etc/hostname; exec " +
                        runtime_path() + " --root " + state_root_ + " exec --preserve-fds 2 " +
                        id_ + " /probe";
  CommandResult result = run_command({"/bin/sh", "-c", command}, work_);
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  json report = last_json_line(result.out);
  EXPECT_EQ(fd_numbers(report), (std::vector<std::string>{"0", "1", "2", "3", "4"}))
      << report["fds"];
  command = "exec 3</etc/hostname; exec " + runtime_path() + " --root " + state_root_ + " exec " +
            id_ + " /probe";
  result = run_command({"/bin/sh", "-c", command}, work_);
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(fd_numbers(last_json_line(result.out)), (std::vector<std::string>{"0", "1", "2"}));
}

TEST_F(ExecTest, ProcessFile) {
  start_sleeper();
  write_text(work_ + "/process.json", R"({"args": ["/probe"], "cwd": "/dev",
      "user": {"uid": 2, "gid": 3}, "env": ["ONLY=this", "PATH=/bin"],
      "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 200, "soft": 100}]})");
  CommandResult result = runtime({"exec", "-p", work_ + "/process.json", id_});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  json report = last_json_line(result.out);
  EXPECT_EQ(report["cwd"], "/dev");
  EXPECT_EQ(report["uid"], 2);
  EXPECT_EQ(report["gid"], 3);
  auto env = report["env"].get<std::vector<std::string>>();
  EXPECT_TRUE(contains(env, "ONLY=this"));
  EXPECT_FALSE(contains(env, "TERM=xterm")) << "the file is the whole process";
  EXPECT_EQ(report["rlimits"]["RLIMIT_NOFILE"]["hard"], 200) << report["rlimits"];
  // runc 1.1.5 sometimes leaves the soft limit at the hard one (its Go runtime raises it, racing
  // the parent's prlimit); burrow applies the spec's in the process itself.
  if (runtime_is_burrow()) {
    EXPECT_EQ(report["rlimits"]["RLIMIT_NOFILE"]["soft"], 100) << report["rlimits"];
  }
}

TEST_F(ExecTest, ProcessFileErrorsNameTheField) {
  start_sleeper();
  write_text(work_ + "/process.json", R"({"args": ["/probe"], "cwd": "/", "user": {"uid": "x"}})");
  expect_error(runtime({"exec", "-p", work_ + "/process.json", id_}), "exec_process_file_field");
}

TEST_F(ExecTest, Errors) {
  start_sleeper();
  expect_error(exec({"-d"}, {"nope"}), "exec_not_found");
  expect_error(exec({}, {"nope"}), "exec_not_found");
  expect_error(exec({}, {}), "exec_no_args");
  expect_error(exec({"--cwd", "tmp"}, {"true"}), "exec_cwd_relative");
  if (runtime_is_burrow()) {
    // No AppArmor on these hosts: a requested profile is refused, as at create.
    if (::access("/sys/kernel/security/apparmor", F_OK) != 0)
      expect_error(exec({"--apparmor", "docker-default"}, {"true"}), "exec_apparmor_not_enabled");
  }
  EXPECT_EQ(exec({"-d"}, {"nope"}).exit_code, 255) << "runc's exit status for a failed exec";
  CommandResult unknown = runtime({"exec", id_ + "-none", "true"});
  expect_error(unknown, "does_not_exist");
}

TEST_F(ExecTest, StoppedContainer) {
  write_config([](json& c) { c["process"]["args"] = probe_args({"exit", "0"}); });
  ASSERT_EQ(runtime({"create", "--bundle", bundle_, id_}).exit_code, 0);
  ASSERT_EQ(runtime({"start", id_}).exit_code, 0);
  ASSERT_TRUE(wait_until_status("stopped"));
  CommandResult result = exec({}, {"true"});
  expect_error(result, "exec_stopped");
  EXPECT_EQ(result.exit_code, 255);
}

// Frozen through the v1 freezer by hand (burrow's pause comes with the cgroups issue).
TEST_F(ExecTest, PausedContainer) {
  start_sleeper();
  std::ifstream cgroups("/proc/" + std::to_string(init_pid()) + "/cgroup");
  std::string freezer;
  for (std::string line; std::getline(cgroups, line);) {
    if (line.find(":freezer:") != std::string::npos)
      freezer = "/sys/fs/cgroup/freezer" + line.substr(line.find(":freezer:") + 9);
  }
  if (freezer.empty()) GTEST_SKIP() << "no v1 freezer hierarchy";
  write_text(freezer + "/freezer.state", "FROZEN");
  ASSERT_TRUE(wait_until_status("paused"));
  expect_error(exec({}, {"true"}), "exec_paused");
  write_text(freezer + "/freezer.state", "THAWED");
  EXPECT_TRUE(wait_until_status("running"));
  EXPECT_EQ(exec({}, {"true"}).exit_code, 0);
}

TEST_F(ExecTest, IntoACreatedContainer) {
  write_config([](json& c) { c["process"]["args"] = probe_args({"sleep", "600"}); });
  ASSERT_EQ(runtime({"create", "--bundle", bundle_, id_}).exit_code, 0);
  CommandResult result = exec({}, {"/probe", "exit", "3"});
  EXPECT_EQ(result.exit_code, 3) << result.describe();
  EXPECT_EQ(container_status(id_), "created");
}

}  // namespace
}  // namespace integration
