// runc compatibility of the commands that put a process into an existing container or cgroup:
// exec into a paused container, run into a frozen cgroup, exec --cgroup, exec's debug log (README:
// Compatibility with runc). As in runc_compat_test.cpp, every test runs against the runtime under
// test and against runc (BURROW_TEST_RUNTIME=/usr/sbin/runc); where burrow differs on purpose the
// test skips under runc, saying why.
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using RuncCompat = ContainerTest;

bool host_is_cgroup2() {
  struct statfs st {};
  return ::statfs("/sys/fs/cgroup", &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
}

// The container's cgroup in every hierarchy that has one, for cgroupsPath "/<id>".
std::vector<std::string> container_cgroup_dirs(const std::string& id) {
  if (host_is_cgroup2()) return {"/sys/fs/cgroup/" + id};
  std::vector<std::string> dirs;
  for (const auto& entry : fs::directory_iterator("/sys/fs/cgroup")) {
    if (entry.is_symlink() || !entry.is_directory()) continue;  // cpu -> cpu,cpuacct
    fs::path dir = entry.path() / id;
    if (fs::is_directory(dir)) dirs.push_back(dir.string());
  }
  return dirs;
}

std::set<int> pids_in(const std::string& dir) {
  std::ifstream procs(dir + "/cgroup.procs");
  std::set<int> pids;
  for (int pid; procs >> pid;) pids.insert(pid);
  return pids;
}

// Alive and not yet a zombie.
bool still_running(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  size_t end = line.rfind(')');
  return end != std::string::npos && end + 2 < line.size() && line[end + 2] != 'Z';
}

bool write_file(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

// A cgroup of the v1 freezer hierarchy that the test makes and freezes; thawed and removed (with
// anything below it) at the end of its scope.
class FrozenCgroup {
 public:
  explicit FrozenCgroup(std::string dir) : dir_(std::move(dir)) {
    fs::create_directories(dir_);
    frozen_ = write_file(dir_ + "/freezer.state", "FROZEN");
  }
  ~FrozenCgroup() {
    write_file(dir_ + "/freezer.state", "THAWED");
    std::error_code error;
    std::vector<std::string> below;
    for (fs::recursive_directory_iterator it(dir_, error), end; !error && it != end;
         it.increment(error)) {
      if (it->is_directory(error)) below.push_back(it->path().string());
    }
    for (auto it = below.rbegin(); it != below.rend(); ++it) ::rmdir(it->c_str());
    ::rmdir(dir_.c_str());
  }
  bool frozen() const { return frozen_; }

 private:
  std::string dir_;
  bool frozen_ = false;
};

// exec --ignore-paused into a paused container: the process runs once the container is resumed
// (runc's exec does so too). Meanwhile nothing of burrow's waits inside the frozen cgroup, where
// it would freeze in D state (runc's own init does, until the resume).
TEST_F(RuncCompat, ExecIgnorePausedRunsOnceResumed) {
  create_and_start([&](json& c) {
    c["linux"]["cgroupsPath"] = "/" + id_;
    c["process"]["args"] = {"sleep", "300"};
  });
  ASSERT_EQ(runtime({"pause", id_}).exit_code, 0);
  auto exec = start_runtime(
      {"exec", "--ignore-paused", id_, "/bin/sh", "-c", "echo ran-after-resume"}, "exec");
  std::this_thread::sleep_for(1500ms);
  EXPECT_TRUE(still_running(exec->pid())) << "exec ended while the container was paused";
  EXPECT_EQ(read_text(work_ + "/exec.out"), "") << "ran in a paused container";
  if (runtime_is_burrow()) {
    std::vector<std::string> dirs = container_cgroup_dirs(id_);
    ASSERT_FALSE(dirs.empty());
    for (const auto& dir : dirs)
      EXPECT_EQ(pids_in(dir), std::set<int>{init_pid()}) << "only the init is in " << dir;
  }
  ASSERT_EQ(runtime({"resume", id_}).exit_code, 0);
  CommandResult done = exec->wait(20s);
  EXPECT_EQ(done.exit_code, 0) << done.describe();
  EXPECT_EQ(done.out, "ran-after-resume\n") << done.describe();
}

// `run` into a frozen cgroup would freeze the init before it runs: refused before anything is
// made, in runc's words, naming the cgroup.
TEST_F(RuncCompat, RunIntoAFrozenCgroupIsRefused) {
  if (host_is_cgroup2() || !fs::exists("/sys/fs/cgroup/freezer/cgroup.procs"))
    GTEST_SKIP() << "no v1 freezer hierarchy at /sys/fs/cgroup/freezer";
  const std::string frozen_dir = "/sys/fs/cgroup/freezer/" + id_;
  FrozenCgroup frozen(frozen_dir);
  ASSERT_TRUE(frozen.frozen());
  write_config([&](json& c) {
    c["linux"]["cgroupsPath"] = "/" + id_;
    c["process"]["args"] = {"true"};
  });
  CommandResult run = runtime({"run", "--bundle", bundle_, id_}, 20s);
  expect_error(run, "cgroup_frozen");
  if (runtime_is_burrow()) {
    EXPECT_NE(run.err.find(frozen_dir + " has freezer.state FROZEN"), std::string::npos)
        << run.describe();
  }
  EXPECT_EQ(container_cgroup_dirs(id_), std::vector<std::string>{frozen_dir})
      << "a cgroup was made for the refused container";
}

// A new cgroup below a frozen one starts frozen: refused the same way, naming the frozen one.
TEST_F(RuncCompat, RunBelowAFrozenCgroupIsRefused) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "runc 1.1.5 checks only the container's own cgroup: below a frozen one its "
                    "init freezes (D state) and `run` hangs until the cgroup is thawed";
  if (host_is_cgroup2() || !fs::exists("/sys/fs/cgroup/freezer/cgroup.procs"))
    GTEST_SKIP() << "no v1 freezer hierarchy at /sys/fs/cgroup/freezer";
  const std::string frozen_dir = "/sys/fs/cgroup/freezer/" + id_;
  FrozenCgroup frozen(frozen_dir);
  ASSERT_TRUE(frozen.frozen());
  write_config([&](json& c) {
    c["linux"]["cgroupsPath"] = "/" + id_ + "/inner";
    c["process"]["args"] = {"true"};
  });
  CommandResult run = runtime({"run", "--bundle", bundle_, id_}, 20s);
  expect_error(run, "cgroup_frozen");
  EXPECT_NE(run.err.find(frozen_dir + " (above the container's " + frozen_dir +
                         "/inner) has freezer.state FROZEN"),
            std::string::npos)
      << run.describe();
  EXPECT_EQ(container_cgroup_dirs(id_), std::vector<std::string>{frozen_dir});
  EXPECT_FALSE(fs::exists(frozen_dir + "/inner"));
}

// "4:memory:/x" lines of /proc/self/cgroup -> {"memory": "/x"}; the cgroup2 line has key "".
std::map<std::string, std::string> cgroup_lines(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    size_t first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    out[line.substr(first + 1, second - first - 1)] = line.substr(second + 1);
  }
  return out;
}

// exec --cgroup (runc 1.1): the process goes into a sub-cgroup the container has (made here from
// the host): `--cgroup sub` in every hierarchy, `--cgroup memory:sub` in that one only.
TEST_F(RuncCompat, ExecCgroupPutsTheProcessInASubCgroup) {
  create_and_start([&](json& c) {
    c["linux"]["cgroupsPath"] = "/" + id_;
    c["process"]["args"] = {"sleep", "300"};
  });
  std::vector<std::string> dirs = container_cgroup_dirs(id_);
  ASSERT_FALSE(dirs.empty());
  for (const auto& dir : dirs) {
    fs::create_directory(dir + "/sub");
    // A v1 cpuset cgroup takes tasks only once it has cpus and mems (its parent's here).
    for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
      if (!fs::exists(dir + "/" + file)) continue;
      ASSERT_TRUE(write_file(dir + "/sub/" + file, read_text(dir + "/" + file))) << dir;
    }
  }
  const std::string own = "/" + id_, sub = own + "/sub";

  CommandResult everywhere = runtime({"exec", "--cgroup", "sub", id_, "cat", "/proc/self/cgroup"});
  ASSERT_EQ(everywhere.exit_code, 0) << everywhere.describe();
  size_t moved = 0;
  for (const auto& [hierarchy, path] : cgroup_lines(everywhere.out)) {
    if (path.rfind(own, 0) != 0) continue;  // a hierarchy without a cgroup of the container's
    EXPECT_EQ(path, sub) << "hierarchy \"" << hierarchy << "\":\n" << everywhere.out;
    ++moved;
  }
  EXPECT_EQ(moved, dirs.size()) << everywhere.out;

  if (host_is_cgroup2()) return;  // one hierarchy: no controller prefix
  CommandResult memory =
      runtime({"exec", "--cgroup", "memory:sub", id_, "cat", "/proc/self/cgroup"});
  ASSERT_EQ(memory.exit_code, 0) << memory.describe();
  for (const auto& [hierarchy, path] : cgroup_lines(memory.out)) {
    if (path.rfind(own, 0) != 0) continue;
    EXPECT_EQ(path, hierarchy == "memory" ? sub : own) << "hierarchy \"" << hierarchy << "\":\n"
                                                       << memory.out;
  }
}

// exec --cgroup that names a missing sub-cgroup, leaves the container's cgroup, names a controller
// the container has no cgroup for or is malformed: refused, naming what is wrong, nothing run.
TEST_F(RuncCompat, ExecCgroupErrorsNameThePath) {
  create_and_start([&](json& c) {
    c["linux"]["cgroupsPath"] = "/" + id_;
    c["process"]["args"] = {"sleep", "300"};
  });
  auto exec = [&](std::vector<std::string> cgroups) {
    std::vector<std::string> args{"exec"};
    for (const auto& cgroup : cgroups) args.insert(args.end(), {"--cgroup", cgroup});
    args.insert(args.end(), {id_, "/bin/sh", "-c", "echo ran"});
    return runtime(args);
  };
  std::string missing_controller = host_is_cgroup2() ? "" : "memory:";
  std::string missing_dir = host_is_cgroup2() ? "/sys/fs/cgroup/" + id_ + "/nope"
                                              : "/sys/fs/cgroup/memory/" + id_ + "/nope";
  CommandResult missing = exec({missing_controller + "nope"});
  EXPECT_NE(missing.exit_code, 0) << missing.describe();
  EXPECT_EQ(missing.out, "") << missing.describe();
  EXPECT_NE(missing.err.find(missing_dir), std::string::npos) << missing.describe();
  if (!host_is_cgroup2()) expect_error(missing, "exec_cgroup_missing", missing_dir);

  for (const char* escaping : {"../escape", "sub/../../escape", "memory:../../escape"}) {
    std::string path = escaping;
    if (size_t colon = path.find(':'); colon != std::string::npos) path.erase(0, colon + 1);
    if (host_is_cgroup2() && path != escaping) continue;
    CommandResult refused = exec({escaping});
    EXPECT_NE(refused.exit_code, 0) << escaping << ": " << refused.describe();
    EXPECT_EQ(refused.out, "") << escaping << ": " << refused.describe();
    EXPECT_NE(refused.err.find(path + " is not a sub cgroup path"), std::string::npos)
        << escaping << ": " << refused.describe();
  }

  CommandResult unknown = exec({"frob:sub"});
  EXPECT_NE(unknown.exit_code, 0) << unknown.describe();
  EXPECT_EQ(unknown.out, "") << unknown.describe();
  expect_error(unknown, "exec_cgroup_unknown_controller");
  expect_error(exec({"a:b:c"}), "exec_cgroup_malformed");
  expect_error(exec({"one", "two"}), "exec_cgroup_without_controller");
}

// The global --debug and --log FILE (runc takes them before the command; `exec --debug` is an
// unknown flag there): exec's debug lines go to FILE, in the --log-format asked for, and none to
// stderr; the process's own output is untouched.
TEST_F(RuncCompat, ExecDebugLinesGoToTheLogFile) {
  create_and_start([](json& c) { c["process"]["args"] = {"sleep", "300"}; });
  for (const char* format : {"text", "json"}) {
    std::string log = work_ + "/exec-debug-" + format + ".log";
    CommandResult exec = runtime(
        {"--debug", "--log", log, "--log-format", format, "exec", id_, "/bin/sh", "-c", "echo hi"});
    EXPECT_EQ(exec.exit_code, 0) << format << ": " << exec.describe();
    EXPECT_EQ(exec.out, "hi\n") << format << ": " << exec.describe();
    EXPECT_EQ(exec.err, "") << format << ": " << exec.describe();
    std::istringstream lines(read_text(log));
    size_t debug_lines = 0;
    for (std::string line; std::getline(lines, line);) {
      if (std::string(format) == "json") {
        json parsed = json::parse(line, nullptr, false);
        ASSERT_TRUE(parsed.is_object()) << "not a JSON line: " << line;
        if (parsed.value("level", "") == "debug") ++debug_lines;
      } else if (line.find("level=debug") != std::string::npos) {
        ++debug_lines;
      }
    }
    EXPECT_GT(debug_lines, 0u) << format << ": no debug line in " << log << ":\n" << read_text(log);
  }
  CommandResult misplaced = runtime({"exec", "--debug", id_, "true"});
  EXPECT_NE(misplaced.exit_code, 0) << misplaced.describe();
  EXPECT_NE((misplaced.out + misplaced.err).find("flag provided but not defined: -debug"),
            std::string::npos)
      << misplaced.describe();
}

}  // namespace
}  // namespace integration
