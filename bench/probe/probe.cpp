// burrow-bench-probe: the scorecard's probe, a static binary run as the container's process.
// It prints one JSON object of raw observations (namespaces, id maps, /proc/self/status
// fields, the result of each dangerous syscall tried with harmless arguments, reads of host
// information, host controls it could write, device access); burrow-bench turns them into scored
// facts (scorecard/facts.cpp). Every attempt is harmless: what it mounts or creates lives in the
// container's own /tmp and is removed, new namespaces are made by a child that exits at once.
//
//   burrow-bench-probe     prints the report on stdout, exit 0
#include <dirent.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;

std::string errno_name(int err) {
  const char* name = strerrorname_np(err);
  return name != nullptr ? name : std::to_string(err);
}

// {"ret": R, "errno": null|"EPERM", "call": "what was called"}
json outcome(const std::string& call, long ret, int err) {
  return {{"call", call}, {"ret", ret}, {"errno", ret < 0 ? json(errno_name(err)) : json(nullptr)}};
}

json syscall_result(const std::string& call, long ret) {
  return outcome(call, ret, errno);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

json status_fields() {
  json fields = json::object();
  std::istringstream lines(slurp("/proc/self/status"));
  for (std::string line; std::getline(lines, line);) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    fields[line.substr(0, colon)] = value;
  }
  return fields;
}

json namespaces() {
  json result = json::object();
  for (const char* type : {"mnt", "pid", "net", "ipc", "uts", "user", "cgroup", "time"}) {
    char target[256];
    std::string link = std::string("/proc/self/ns/") + type;
    ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
    result[type] = n >= 0 ? json(std::string(target, static_cast<size_t>(n))) : json(nullptr);
  }
  return result;
}

// Runs `body` in a forked child and reports its result: for calls that change the caller.
template <typename Body>
json in_child(const std::string& call, Body body) {
  int pipefd[2];
  if (pipe(pipefd) != 0) return outcome(call, -1, errno);
  pid_t pid = fork();
  if (pid == 0) {
    close(pipefd[0]);
    long ret = body();
    int values[2] = {static_cast<int>(ret), ret < 0 ? errno : 0};
    (void)!write(pipefd[1], values, sizeof values);
    _exit(0);
  }
  close(pipefd[1]);
  int values[2] = {-1, EIO};
  if (pid < 0 || read(pipefd[0], values, sizeof values) != sizeof values) values[1] = EIO;
  close(pipefd[0]);
  if (pid > 0) waitpid(pid, nullptr, 0);
  return outcome(call, values[0], values[1]);
}

json probe_mount() {
  mkdir("/tmp/burrow-bench-mnt", 0700);
  long ret = mount("tmpfs", "/tmp/burrow-bench-mnt", "tmpfs", 0, "size=64k");
  json result = syscall_result("mount(tmpfs, /tmp/burrow-bench-mnt)", ret);
  if (ret == 0) umount2("/tmp/burrow-bench-mnt", MNT_DETACH);
  rmdir("/tmp/burrow-bench-mnt");
  return result;
}

json probe_clone3() {
  return in_child("clone3(CLONE_NEWUSER|CLONE_NEWNS)", [] {
    clone_args args{};
    args.flags = CLONE_NEWUSER | CLONE_NEWNS;
    args.exit_signal = SIGCHLD;
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0) _exit(0);
    if (pid > 0) waitpid(static_cast<pid_t>(pid), nullptr, 0);
    return pid > 0 ? 0L : pid;
  });
}

json probe_ptrace() {
  pid_t target = fork();
  if (target == 0) {
    pause();
    _exit(0);
  }
  long ret = ptrace(PTRACE_SEIZE, target, nullptr, nullptr);
  json result = syscall_result("ptrace(PTRACE_SEIZE, own child)", ret);
  kill(target, SIGKILL);
  waitpid(target, nullptr, 0);
  return result;
}

json dangerous_syscalls() {
  json results = json::object();
  results["mount"] = probe_mount();
  results["unshare"] =
      in_child("unshare(CLONE_NEWUSER)", [] { return long(unshare(CLONE_NEWUSER)); });
  results["unshare_mnt"] =
      in_child("unshare(CLONE_NEWNS)", [] { return long(unshare(CLONE_NEWNS)); });
  results["keyctl"] = syscall_result("keyctl(KEYCTL_GET_KEYRING_ID, session)",
                                     syscall(SYS_keyctl, 0 /*GET_KEYRING_ID*/, -3, 0));
  results["bpf"] = syscall_result("bpf(BPF_PROG_LOAD, NULL, 0)", syscall(SYS_bpf, 5, nullptr, 0));
  results["perf_event_open"] = syscall_result("perf_event_open(NULL, 0, -1, -1, 0)",
                                              syscall(SYS_perf_event_open, nullptr, 0, -1, -1, 0));
  long uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
  results["userfaultfd"] = syscall_result("userfaultfd(O_CLOEXEC)", uffd);
  if (uffd >= 0) close(static_cast<int>(uffd));
  results["io_uring_setup"] =
      syscall_result("io_uring_setup(1, NULL)", syscall(SYS_io_uring_setup, 1, nullptr));
  results["init_module"] =
      syscall_result("init_module(NULL, 0, \"\")", syscall(SYS_init_module, nullptr, 0, ""));
  results["kexec_load"] = syscall_result("kexec_load(0, 1000 segments, NULL, bad flags)",
                                         syscall(SYS_kexec_load, 0, 1000, nullptr, 0x40));
  results["ptrace"] = probe_ptrace();
  results["clone3_namespaces"] = probe_clone3();
  return results;
}

json read_attempt(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return {{"ok", false}, {"errno", errno_name(errno)}};
  json result;
  struct stat info {};
  fstat(fd, &info);
  if (S_ISDIR(info.st_mode)) {
    close(fd);
    int entries = 0;
    if (DIR* dir = opendir(path.c_str())) {
      while (dirent* entry = readdir(dir)) entries += entry->d_name[0] != '.';
      closedir(dir);
    }
    return {{"ok", entries > 0},
            {"entries", entries},
            {"errno", entries > 0 ? json(nullptr) : json("empty")}};
  }
  char buffer[64];
  ssize_t n = read(fd, buffer, sizeof buffer);
  int err = errno;
  close(fd);
  if (n < 0) return {{"ok", false}, {"errno", errno_name(err)}};
  return {{"ok", n > 0}, {"bytes", n}, {"errno", n > 0 ? json(nullptr) : json("empty")}};
}

json host_reads() {
  json results = json::object();
  for (const char* path : {"/proc/kcore", "/proc/keys", "/sys/firmware", "/dev/kmsg",
                           "/proc/sched_debug", "/proc/timer_list", "/sys/kernel/security"}) {
    results[path] = read_attempt(path);
  }
  char buffer[64];
  int n = klogctl(3 /*SYSLOG_ACTION_READ_ALL*/, buffer, sizeof buffer);
  results["syslog(READ_ALL)"] = n >= 0 ? json{{"ok", true}, {"bytes", n}, {"errno", nullptr}}
                                       : json{{"ok", false}, {"errno", errno_name(errno)}};
  return results;
}

// Host controls the container might write: each opened O_WRONLY and closed at once, never
// written (opening checks the permission; the effect would need a write). Cgroup files are the
// container's own cgroup's (a cgroup namespace shows it at the hierarchy's root).
json host_writes() {
  json results = json::object();
  // key -> path; the key is the fact's name, stable across containers
  std::vector<std::pair<std::string, std::string>> paths;
  for (const char* path :
       {"/proc/sysrq-trigger", "/proc/sys/kernel/core_pattern", "/proc/sys/kernel/modprobe",
        "/proc/sys/vm/drop_caches", "/sys/kernel/uevent_helper"}) {
    paths.emplace_back(path, path);
  }
  // v1: a release_agent of any hierarchy (CVE-2022-0492); the limits of memory and pids.
  std::string release_agent = "/sys/fs/cgroup/release_agent";
  if (DIR* dir = opendir("/sys/fs/cgroup")) {
    while (dirent* entry = readdir(dir)) {
      std::string candidate = std::string("/sys/fs/cgroup/") + entry->d_name + "/release_agent";
      if (entry->d_name[0] != '.' && access(candidate.c_str(), F_OK) == 0)
        release_agent = candidate;
    }
    closedir(dir);
  }
  paths.emplace_back("cgroup release_agent", release_agent);
  bool v1 = access("/sys/fs/cgroup/memory", F_OK) == 0;
  paths.emplace_back("cgroup memory limit", v1 ? "/sys/fs/cgroup/memory/memory.limit_in_bytes"
                                               : "/sys/fs/cgroup/memory.max");
  paths.emplace_back("cgroup pids limit",
                     v1 ? "/sys/fs/cgroup/pids/pids.max" : "/sys/fs/cgroup/pids.max");
  for (const auto& [key, path] : paths) {
    int fd = open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    results[key] = fd >= 0 ? json{{"path", path}, {"ok", true}, {"errno", nullptr}}
                           : json{{"path", path}, {"ok", false}, {"errno", errno_name(errno)}};
    if (fd >= 0) close(fd);
  }
  return results;
}

json devices() {
  json result = json::object();
  json nodes = json::array();
  if (DIR* dir = opendir("/dev")) {
    while (dirent* entry = readdir(dir)) {
      std::string path = std::string("/dev/") + entry->d_name;
      struct stat info {};
      if (lstat(path.c_str(), &info) == 0 && (S_ISCHR(info.st_mode) || S_ISBLK(info.st_mode))) {
        nodes.push_back({{"path", path},
                         {"type", S_ISBLK(info.st_mode) ? "block" : "char"},
                         {"major", major(info.st_rdev)},
                         {"minor", minor(info.st_rdev)}});
      }
    }
    closedir(dir);
  }
  result["nodes"] = nodes;
  // /dev/mem made anew: stopped by the device cgroup, a missing CAP_MKNOD, or a nodev /tmp.
  const char* node = "/tmp/burrow-bench-mem";
  unlink(node);
  json mem;
  if (mknod(node, S_IFCHR | 0600, makedev(1, 1)) != 0) {
    mem = {{"step", "mknod c 1 1"}, {"ok", false}, {"errno", errno_name(errno)}};
  } else {
    int fd = open(node, O_RDONLY | O_CLOEXEC);
    mem = fd >= 0 ? json{{"step", "open"}, {"ok", true}, {"errno", nullptr}}
                  : json{{"step", "open"}, {"ok", false}, {"errno", errno_name(errno)}};
    if (fd >= 0) close(fd);
    unlink(node);
  }
  result["mknod_mem"] = mem;
  return result;
}

}  // namespace

int main() {
  json report;
  report["namespaces"] = namespaces();
  report["uid_map"] = slurp("/proc/self/uid_map");
  report["gid_map"] = slurp("/proc/self/gid_map");
  report["uid"] = getuid();
  report["status"] = status_fields();
  report["cap_last_cap"] = slurp("/proc/sys/kernel/cap_last_cap");
  report["syscalls"] = dangerous_syscalls();
  report["reads"] = host_reads();
  report["writes"] = host_writes();
  report["devices"] = devices();
  std::cout << report.dump() << std::endl;
  return 0;
}
