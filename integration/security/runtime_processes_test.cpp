// Regressions for attacks on the runtime's own processes from inside a container: the runtime
// binary re-run through a `#!/proc/self/exe` entrypoint and written to (CVE-2019-5736), an exec
// helper caught before its execve (written through /proc/<pid>/exe, ptraced), the created-state
// init ptraced, and the host fds either of them holds (CVE-2016-9962, CVE-2024-21626). Each test
// attacks with /probe attack (probe/attack.hpp) and asserts that nothing worked.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness/container_test.hpp"
#include "harness/environment.hpp"

namespace integration {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

// What a failed attempt to write a binary may say: busy while it runs, a read-only (sealed)
// copy, no access to the link at all, or a sealed memfd refusing the write.
bool is_refused_write(const json& attempt) {
  static const std::set<std::string> kRefusals = {"ETXTBSY", "EROFS", "EACCES", "EPERM"};
  return attempt.is_object() && attempt["ok"] == false && attempt["errno"].is_string() &&
         kRefusals.count(attempt["errno"].get<std::string>()) == 1;
}

std::string sha256_of(const std::string& path, const std::string& scratch) {
  CommandResult sum = run_command({"sha256sum", path}, scratch);
  return sum.exit_code == 0 ? sum.out.substr(0, sum.out.find(' ')) : "";
}

// The libraries `binary` loads (ldd's absolute paths, the dynamic loader included).
std::vector<std::string> libraries_of(const std::string& binary, const std::string& scratch) {
  CommandResult ldd = run_command({"ldd", binary}, scratch);
  std::vector<std::string> paths;
  std::istringstream lines(ldd.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    for (std::string word; words >> word;)
      if (word.front() == '/') paths.push_back(word);
  }
  return paths;
}

// A FIFO that is full: whoever gets it as stderr blocks on the first line it prints, until the
// test drains it. That keeps a runtime binary re-run in the container alive while it is attacked.
class FullFifo {
 public:
  explicit FullFifo(const std::string& path) : path_(path) {
    if (::mkfifo(path.c_str(), 0600) != 0) return;
    fd_ = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);  // a reader: writers never wait
    std::string chunk(4096, 'x');
    while (fd_ >= 0 && ::write(fd_, chunk.data(), chunk.size()) > 0) {
    }
    while (fd_ >= 0 && ::write(fd_, "x", 1) > 0) {
    }
  }
  ~FullFifo() {
    if (fd_ >= 0) ::close(fd_);
  }
  FullFifo(const FullFifo&) = delete;
  FullFifo& operator=(const FullFifo&) = delete;

  bool ready() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }
  // Makes room for everything the blocked writer wants to say.
  void drain() {
    char buffer[4096];
    while (::read(fd_, buffer, sizeof buffer) > 0) {
    }
  }

 private:
  std::string path_;
  int fd_ = -1;
};

class RuntimeProcesses : public ContainerTest {
 protected:
  // A private copy of the shared rootfs, which the test may change.
  std::string private_rootfs() {
    std::string copy = work_ + "/rootfs";
    CommandResult copied = run_command({"cp", "-a", rootfs_, copy}, work_);
    EXPECT_EQ(copied.exit_code, 0) << copied.describe();
    return copy;
  }

  // The rootfs for `#!/proc/self/exe`: the runtime's libraries (the busybox rootfs has none, and
  // without them the kernel cannot load the runtime binary at all) and /evil.sh.
  std::string rootfs_that_can_run_the_runtime() {
    std::string rootfs = private_rootfs();
    for (const auto& library : libraries_of(runtime_path(), work_)) {
      fs::create_directories(rootfs + fs::path(library).parent_path().string());
      fs::copy_file(fs::canonical(library), rootfs + library);
    }
    write_text(rootfs + "/evil.sh", "#!/proc/self/exe\n");
    fs::permissions(rootfs + "/evil.sh", fs::perms::owner_all | fs::perms::group_exec |
                                             fs::perms::others_exec | fs::perms::others_read);
    return rootfs;
  }

  // `<runtime> --root <state> args...` with stdout and stderr on the given paths (a FIFO's too);
  // with -d, the container process keeps them. No ambient capabilities in the configs of tests
  // that give a full FIFO: the runtime's warning about them would block on it.
  CommandResult runtime_to(const std::vector<std::string>& args, const std::string& out,
                           const std::string& err) {
    std::string command = "exec '" + runtime_path() + "' --root '" + state_root_ + "'";
    for (const auto& arg : args) command += " '" + arg + "'";
    command += " >'" + out + "' 2>'" + err + "'";
    return run_command({"/bin/sh", "-c", command}, work_);
  }

  // `exec -d [flags] <id> /probe attack args...`, its output in <work>/attacker.out. Detached:
  // no runtime process of the attacker's own then keeps the runtime binary busy (ETXTBSY)
  // while the attacker tries to write it.
  void start_attacker(const std::vector<std::string>& flags, const std::vector<std::string>& args) {
    std::vector<std::string> exec{"exec", "-d"};
    exec.insert(exec.end(), flags.begin(), flags.end());
    exec.insert(exec.end(), {id_, "/probe", "attack"});
    exec.insert(exec.end(), args.begin(), args.end());
    CommandResult started = runtime_to(exec, attacker_out(), work_ + "/attacker.err");
    ASSERT_EQ(started.exit_code, 0) << started.describe() << read_text(work_ + "/attacker.err");
  }
  std::string attacker_out() const { return work_ + "/attacker.out"; }
  bool attacker_said(const std::string& text, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (read_text(attacker_out()).find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
  // The attacker's JSON report (its last line), once it printed it.
  json attacker_answer() {
    EXPECT_TRUE(attacker_said("{", 60s)) << read_text(attacker_out());
    json answer = last_json_line(read_text(attacker_out()));
    EXPECT_TRUE(answer.is_object()) << read_text(attacker_out());
    return answer;
  }

  void create_and_start(const Tweak& tweak) {
    write_config(tweak);
    CommandResult created = runtime({"create", "--bundle", bundle_, id_});
    ASSERT_EQ(created.exit_code, 0) << created.describe();
    CommandResult started = runtime({"start", id_});
    ASSERT_EQ(started.exit_code, 0) << started.describe();
  }

  // `exec [flags] <id> /probe attack ...`: the attacker's JSON answer.
  json attack(const std::vector<std::string>& flags, const std::vector<std::string>& attack) {
    std::vector<std::string> args{"exec"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(id_);
    args.push_back("/probe");
    args.push_back("attack");
    args.insert(args.end(), attack.begin(), attack.end());
    CommandResult result = runtime(args);
    json answer = last_json_line(result.out);
    EXPECT_TRUE(answer.is_object()) << result.describe();
    return answer;
  }

  // The FIFO's write end, as soon as a reader waits on it (ENXIO until then).
  static int open_fifo_writer(const std::string& path, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (fd >= 0 || errno != ENXIO || std::chrono::steady_clock::now() > deadline) return fd;
      std::this_thread::sleep_for(5ms);
    }
  }

  // An exec into a running container, caught before its execve by `exec [flags] /probe attack
  // new actions...`: the container's /etc/passwd becomes a FIFO, which the runtime's helper
  // reads (HOME is unset) after it joined the container and before it execs; the test lets it
  // through only once the attacker is done (or, for exe-later and fds-watch, holds on).
  json attack_exec_helper(const std::vector<std::string>& flags,
                          const std::vector<std::string>& actions) {
    std::string rootfs = private_rootfs();
    create_and_start([&](json& c) {
      c["root"]["path"] = rootfs;
      c["process"]["args"] = probe_args({"sleep", "600"});
    });
    if (HasFatalFailure()) return nullptr;
    std::vector<std::string> args{"new"};
    args.insert(args.end(), actions.begin(), actions.end());
    start_attacker(flags, args);
    if (HasFatalFailure()) return nullptr;
    EXPECT_TRUE(attacker_said("hunting", 20s)) << read_text(attacker_out());

    std::string passwd = rootfs + "/etc/passwd";
    std::string content = read_text(passwd);
    EXPECT_EQ(::mkfifo((passwd + ".fifo").c_str(), 0644), 0);
    EXPECT_EQ(::rename((passwd + ".fifo").c_str(), passwd.c_str()), 0);
    auto victim = start_runtime({"exec", id_, "/probe", "exit", "42"}, "victim");
    bool holding = std::find_if(actions.begin(), actions.end(), [](const std::string& action) {
                     return action == "exe-later" || action == "fds-watch";
                   }) != actions.end();
    EXPECT_TRUE(attacker_said(holding ? "holding" : "{", 30s)) << read_text(attacker_out());

    // Let the helper through once it waits on the FIFO (it may not be there yet when the
    // attacker spotted it): the FIFO gets the file's content; the file is a file again.
    int writer = open_fifo_writer(passwd, 20s);
    EXPECT_GE(writer, 0) << "the exec helper never waited on /etc/passwd: " << strerror(errno);
    write_text(passwd + ".new", content);
    EXPECT_EQ(::rename((passwd + ".new").c_str(), passwd.c_str()), 0);
    if (writer >= 0) {
      EXPECT_EQ(::write(writer, content.data(), content.size()),
                static_cast<ssize_t>(content.size()));
      ::close(writer);
    }
    CommandResult released = victim->wait(30s);
    EXPECT_EQ(released.exit_code, 42) << "the exec went on to its process: " << released.describe();
    json answer = attacker_answer();
    if (!answer.is_object()) return nullptr;
    // Caught before its execve: it still ran the runtime's command line, not the probe's.
    EXPECT_NE(answer["cmdline"], json({"/probe", "exit", "42"})) << answer;
    return answer;
  }
};

// The fds of a runtime process as an attacker in the container saw them (probe attack ... fds
// or fds-watch):
// none may reach the host beyond what the container has anyway. Allowed:
//  - fds 0-2: the caller's stdio, which the runtime hands to the container process by design
//    (runc alike); here the test's own files and /dev/null;
//  - pipes, sockets, anonymous inodes (the sync channel, runc's log pipe and epoll);
//  - the exec fifo in the state directory (runc and burrow keep its O_PATH fd until start): a
//    FIFO opens nothing further, and whoever opens it could only start the container;
//  - a procfs of the container's own pid namespace ("self" there is the attacker's pid), which
//    shows nothing the container's /proc does not;
//  - a file the container sees at the very path the link names (the same inode).
// An fd the attacker may not even readlink (EACCES) is out of its reach.
void expect_no_host_fd(const json& fds, const std::string& exec_fifo, const std::string& whose) {
  ASSERT_TRUE(fds.is_object()) << whose;
  if (fds["ok"] == false) return;  // the fd directory itself is out of reach
  std::string probe_pid = std::to_string(fds["probe_pid"].get<int>());
  for (const auto& entry : fds["entries"]) {
    int fd = entry["fd"].get<int>();
    if (fd <= 2 || entry["ok"] == false) continue;
    std::string target = entry["target"].get<std::string>();
    bool anonymous = target.rfind("pipe:", 0) == 0 || target.rfind("socket:", 0) == 0 ||
                     target.rfind("anon_inode:", 0) == 0;
    // The exec fifo, also once `start` has unlinked it: readlink then names it relative to a root
    // the reader does not share, with " (deleted)" (seen under load, with runc too). A FIFO opens
    // nothing further either way.
    bool deleted = target.size() > 10 && target.ends_with(" (deleted)");
    bool fifo = (target == exec_fifo || deleted) && entry["type"] == "fifo";
    bool own_proc = entry["fs"] == "proc" && entry["type"] == "dir" && entry["self"] == probe_pid;
    bool in_container = entry["in_container"] == true;
    EXPECT_TRUE(anonymous || fifo || own_proc || in_container || target == "/dev/null")
        << whose << " holds fd " << fd << " -> " << entry.dump() << ", out of the container";
  }
}

// CVE-2019-5736 at run: the entrypoint `#!/proc/self/exe` makes the kernel run whatever the
// init's /proc/self/exe is at its execve (the runtime) as the container's pid 1, dumpable; a
// process exec'd into the container opens its /proc/1/exe for writing.
TEST_F(RuntimeProcesses, ShebangEntrypointCannotWriteTheRuntime) {
  std::string before = sha256_of(runtime_path(), work_);
  ASSERT_FALSE(before.empty());
  std::string rootfs = rootfs_that_can_run_the_runtime();
  write_config([&](json& c) {
    c["root"]["path"] = rootfs;
    c["process"]["args"] = {"/evil.sh"};
    c["process"]["capabilities"]["ambient"] = json::array();
  });
  FullFifo stderr_fifo(work_ + "/stderr.fifo");
  ASSERT_TRUE(stderr_fifo.ready());
  CommandResult run = runtime_to({"run", "-d", "--bundle", bundle_, id_}, work_ + "/victim.out",
                                 stderr_fifo.path());
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  json answer = attack({}, {"1", "exe"});
  stderr_fifo.drain();
  ASSERT_TRUE(answer.is_object());
  // The attack is real: pid 1 is the runtime binary the kernel ran for the script.
  EXPECT_EQ(answer["cmdline"], json({"/proc/self/exe", "/evil.sh"})) << answer;
  EXPECT_EQ(answer["exe"]["handle"]["ok"], true) << "the re-run runtime is dumpable: " << answer;
  EXPECT_TRUE(is_refused_write(answer["exe"]["write"])) << answer;
  EXPECT_TRUE(is_refused_write(answer["exe"]["reopen"])) << answer;
  // burrow runs from a sealed memfd or a detached overlay, never from the installed file
  // (Debian's runc 1.1.5 runs the installed inode through a read-only bind mount: EROFS).
  struct stat installed {};
  ASSERT_EQ(::stat(runtime_path().c_str(), &installed), 0);
  if (runtime_is_burrow()) {
    EXPECT_FALSE(answer["exe"]["ino"] == installed.st_ino &&
                 answer["exe"]["dev"] == std::to_string(major(installed.st_dev)) + ":" +
                                             std::to_string(minor(installed.st_dev)))
        << "the container reached the installed binary itself: " << answer;
  }
  EXPECT_EQ(sha256_of(runtime_path(), work_), before);
}

// CVE-2019-5736 at exec, as the exploit does it: hold an O_PATH fd of the re-run runtime's
// /proc/<pid>/exe and reopen it for writing once that process is gone (no ETXTBSY then).
TEST_F(RuntimeProcesses, ShebangExecCannotWriteTheRuntime) {
  std::string before = sha256_of(runtime_path(), work_);
  ASSERT_FALSE(before.empty());
  std::string rootfs = rootfs_that_can_run_the_runtime();
  create_and_start([&](json& c) {
    c["root"]["path"] = rootfs;
    c["process"]["args"] = probe_args({"sleep", "600"});
    c["process"]["capabilities"]["ambient"] = json::array();
  });
  start_attacker({}, {"cmdline=/proc/self/exe /evil.sh", "exe-later"});
  FullFifo stderr_fifo(work_ + "/stderr.fifo");
  ASSERT_TRUE(stderr_fifo.ready());
  CommandResult exec =
      runtime_to({"exec", "-d", id_, "/evil.sh"}, work_ + "/victim.out", stderr_fifo.path());
  ASSERT_EQ(exec.exit_code, 0) << exec.describe();
  EXPECT_TRUE(attacker_said("holding", 30s)) << read_text(attacker_out());
  stderr_fifo.drain();  // the re-run runtime says why it fails, and exits
  json answer = attacker_answer();
  ASSERT_TRUE(answer.is_object());
  EXPECT_EQ(answer["cmdline"], json({"/proc/self/exe", "/evil.sh"})) << answer;
  EXPECT_EQ(answer["exe"]["handle"]["ok"], true) << "the re-run runtime is dumpable: " << answer;
  EXPECT_TRUE(is_refused_write(answer["exe"]["write"])) << answer;
  EXPECT_TRUE(is_refused_write(answer["exe"]["reopen"])) << answer;
  EXPECT_EQ(answer["exe"]["ended"], true) << answer;
  EXPECT_TRUE(is_refused_write(answer["exe"]["reopen_later"])) << answer;
  EXPECT_EQ(sha256_of(runtime_path(), work_), before);
}

// CVE-2019-5736 through an exec helper: its /proc/<pid>/exe, before and after its execve, from
// a process with the default capabilities and from one with CAP_SYS_PTRACE (which may follow
// the link of a non-dumpable process).
TEST_F(RuntimeProcesses, ExecHelpersExecutableIsOutOfReach) {
  std::string before = sha256_of(runtime_path(), work_);
  ASSERT_FALSE(before.empty());
  json answer = attack_exec_helper({}, {"exe-later"});
  ASSERT_TRUE(answer.is_object());
  EXPECT_TRUE(is_refused_write(answer["exe"]["write"])) << answer;
  EXPECT_TRUE(is_refused_write(answer["exe"]["reopen_later"])) << answer;
  EXPECT_EQ(sha256_of(runtime_path(), work_), before);
}

TEST_F(RuntimeProcesses, ExecHelpersExecutableIsOutOfReachWithPtraceCapability) {
  std::string before = sha256_of(runtime_path(), work_);
  ASSERT_FALSE(before.empty());
  json answer = attack_exec_helper({"--cap", "CAP_SYS_PTRACE"}, {"exe-later"});
  ASSERT_TRUE(answer.is_object());
  EXPECT_EQ(answer["exe"]["handle"]["ok"], true) << "CAP_SYS_PTRACE follows the link: " << answer;
  EXPECT_TRUE(is_refused_write(answer["exe"]["write"])) << answer;
  EXPECT_TRUE(is_refused_write(answer["exe"]["reopen"])) << answer;
  EXPECT_TRUE(is_refused_write(answer["exe"]["reopen_later"])) << answer;
  EXPECT_EQ(sha256_of(runtime_path(), work_), before);
}

// An exec helper holds the container's namespaces before its seccomp filter and (for a moment)
// more capabilities than the process: a container process must not trace it.
TEST_F(RuntimeProcesses, ExecHelperCannotBeTraced) {
  json answer = attack_exec_helper({}, {"ptrace"});
  ASSERT_TRUE(answer.is_object());
  for (const char* how : {"seize", "attach", "mem"})
    EXPECT_EQ(answer["ptrace"][how]["ok"], false) << how << ": " << answer;
}

// CVE-2016-9962: no host fd in an exec helper before its execve, to an attacker with the
// default capabilities and to one that may read every link (CAP_SYS_PTRACE).
TEST_F(RuntimeProcesses, ExecHelperHoldsNoHostFd) {
  json answer = attack_exec_helper({}, {"fds-watch"});
  ASSERT_TRUE(answer.is_object());
  expect_no_host_fd(answer["fds"], state_root_ + "/" + id_ + "/exec.fifo", "the exec helper");
}

TEST_F(RuntimeProcesses, ExecHelperHoldsNoHostFdWithPtraceCapability) {
  json answer = attack_exec_helper({"--cap", "CAP_SYS_PTRACE"}, {"fds-watch"});
  ASSERT_TRUE(answer.is_object());
  EXPECT_EQ(answer["fds"]["ok"], true) << answer;
  expect_no_host_fd(answer["fds"], state_root_ + "/" + id_ + "/exec.fifo", "the exec helper");
}

// The created-state init: set up, waiting for `start` with the container's namespaces and not
// yet its seccomp filter; a process exec'd into the container must not trace it.
TEST_F(RuntimeProcesses, CreatedInitCannotBeTraced) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "Debian's runc 1.1.5 leaves its created-state init dumpable: a process "
                    "exec'd into the container may ptrace it";
  write_config([](json& c) { c["process"]["args"] = probe_args({"signals"}); });
  ASSERT_EQ(runtime({"create", "--bundle", bundle_, id_}).exit_code, 0);
  json answer = attack({}, {"1", "ptrace"});
  ASSERT_TRUE(answer.is_object());
  for (const char* how : {"seize", "attach", "mem"})
    EXPECT_EQ(answer["ptrace"][how]["ok"], false) << how << ": " << answer;
  EXPECT_EQ(container_status(id_), "created");
}

// CVE-2016-9962 / CVE-2024-21626: the created-state init holds no host fd, even to an attacker
// that may read every link (CAP_SYS_PTRACE, where the host's /proc was one such fd).
TEST_F(RuntimeProcesses, CreatedInitHoldsNoHostFd) {
  write_config([](json& c) { c["process"]["args"] = probe_args({"signals"}); });
  ASSERT_EQ(runtime({"create", "--bundle", bundle_, id_}).exit_code, 0);
  for (const std::vector<std::string>& flags :
       {std::vector<std::string>{}, std::vector<std::string>{"--cap", "CAP_SYS_PTRACE"}}) {
    json answer = attack(flags, {"1", "fds"});
    ASSERT_TRUE(answer.is_object());
    expect_no_host_fd(answer["fds"], state_root_ + "/" + id_ + "/exec.fifo",
                      "the created init (" + (flags.empty() ? "default" : flags[1]) + ")");
  }
  EXPECT_EQ(container_status(id_), "created");
}

}  // namespace
}  // namespace integration
