// probe: a small static binary placed at /probe in test rootfs trees. It reports what a process
// sees from inside a container as one JSON object, so integration tests can assert on facts
// rather than on shell output. Subcommands give tests a controllable workload.
//
//   probe [report]          the JSON report (ids, caps, namespaces, mounts, rlimits, ...)
//   probe exit N            exit with status N
//   probe sleep SECONDS     sleep, then exit 0
//   probe signals           print "ready", then "signal N" per signal; exit 0 after SIGTERM
//   probe write PATH TEXT   {"ok":true} or {"ok":false,"errno":"EROFS"}
//   probe read PATH         {"ok":true,"content":"..."} or the errno
//   probe mkdir PATH        {"ok":true} or the errno (mode 0755)
//   probe stat PATH         {"ok":true,"type":"char","major":10,"minor":229,"mode":"0666",...}
//   probe sysctl KEY        {"ok":true,"value":"..."} read from /proc/sys
//   probe connect PATH      connects a stream socket to the unix socket at PATH: {"ok":true}
//                           or the errno (e.g. a docker socket the container must not reach)
//   probe exchange A B      print "ready", then swap A and B (renameat2 RENAME_EXCHANGE) in a
//                           loop until killed: races a runtime that resolves paths under them
//   probe syscalls NAME[:ARG0[:ARG1...]]...
//                           calls each syscall with the given integer arguments (0 when not
//                           given; chosen by the tests to be harmless, e.g. unshare:0) and prints
//                           {"seccomp":2,"results":{"getppid":{"ret":1,"errno":null},
//                           "unshare":{"ret":-1,"errno":"EPERM"}}}
//   probe attack TARGET ACTION...
//                           attacks another process of the container (its executable, ptrace,
//                           its fds) and reports what worked; see attack.hpp
//   probe syscall-loop NAME[:ARG...] N
//                           calls one syscall of that list N times and prints the mean time per
//                           call (monotonic clock, vDSO, so no syscall around the loop), the mean
//                           of the fastest of 100 equal chunks, the last result and whether all
//                           N results agreed:
//                           {"syscall":"getpid","calls":N,"ns_per_call":52.1,"ret":1,
//                           "best_chunk_ns_per_call":50.3,"errno":null,"same":true,
//                           "seccomp":2,"seccomp_filters":1}
//   probe abi ABI NAME[:ARG...]...
//                           the same through another ABI's kernel entry (x86_64, i386 by
//                           `int $0x80`, x32): {"abi":"i386","available":true,"seccomp":2,
//                           "results":{"socket:40:1":{"ret":-1,"errno":"EPERM"}}}; see abi.hpp
//   probe timed COMMAND [ARG...]
//                           runs COMMAND (PATH search) as a child and prints its wall time:
//                           {"status":0,"ns":1234567}; status is 128+N after signal N, 127 when
//                           it cannot be run
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "probe/abi.hpp"
#include "probe/attack.hpp"
#include "probe/output.hpp"

extern char** environ;

namespace {

using nlohmann::json;
using probe::errno_name;
using probe::failure;
using probe::print;
using probe::read_file;

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> split_words(const std::string& text, char separator) {
  std::vector<std::string> words;
  std::istringstream stream(text);
  for (std::string word; std::getline(stream, word, separator);) words.push_back(word);
  return words;
}

// Must run before anything else opens a file: the fds the container process was given.
json open_fds() {
  std::vector<int> numbers;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return nullptr;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') numbers.push_back(std::atoi(entry->d_name));
  }
  closedir(dir);  // its own fd is now gone, so readlink below skips it
  json fds = json::object();
  for (int fd : numbers) {
    std::string link = "/proc/self/fd/" + std::to_string(fd);
    char target[4096];
    ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
    if (n >= 0) fds[std::to_string(fd)] = std::string(target, static_cast<size_t>(n));
  }
  return fds;
}

json status_fields() {
  json fields = json::object();
  auto status = read_file("/proc/self/status");
  if (!status) return fields;
  for (const auto& line : split_lines(*status)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    fields[key] = value;
  }
  return fields;
}

json ids() {
  uid_t ruid, euid, suid;
  gid_t rgid, egid, sgid;
  getresuid(&ruid, &euid, &suid);
  getresgid(&rgid, &egid, &sgid);
  std::vector<gid_t> groups(static_cast<size_t>(std::max(getgroups(0, nullptr), 0)));
  int count = getgroups(static_cast<int>(groups.size()), groups.data());
  groups.resize(static_cast<size_t>(std::max(count, 0)));
  return json{{"uid", ruid},  {"euid", euid}, {"suid", suid},    {"gid", rgid},
              {"egid", egid}, {"sgid", sgid}, {"groups", groups}};
}

json capabilities(const json& status) {
  json caps = json::object();
  for (const char* key : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
    caps[key] = status.contains(key) ? status[key] : json(nullptr);
  }
  return caps;
}

json namespaces() {
  json result = json::object();
  for (const char* name : {"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time",
                           "time_for_children", "user", "uts"}) {
    struct stat info {};
    std::string path = std::string("/proc/self/ns/") + name;
    if (stat(path.c_str(), &info) == 0) {
      result[name] = static_cast<uint64_t>(info.st_ino);
    } else {
      result[name] = nullptr;
    }
  }
  return result;
}

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape_octal(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size()) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 3), nullptr, 8)));
      i += 3;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

json parse_mountinfo_line(const std::string& line) {
  auto words = split_words(line, ' ');
  size_t dash = 6;
  while (dash < words.size() && words[dash] != "-") ++dash;
  if (words.size() < 7 || dash + 2 >= words.size()) return nullptr;
  std::vector<std::string> propagation(words.begin() + 6, words.begin() + static_cast<long>(dash));
  return json{{"id", std::stoi(words[0])},
              {"parent", std::stoi(words[1])},
              {"device", words[2]},
              {"root", unescape_octal(words[3])},
              {"mount_point", unescape_octal(words[4])},
              {"options", words[5]},
              {"propagation", propagation},
              {"fs_type", words[dash + 1]},
              {"source", unescape_octal(words[dash + 2])},
              {"super_options", dash + 3 < words.size() ? words[dash + 3] : ""}};
}

json mounts() {
  json result = json::array();
  auto text = read_file("/proc/self/mountinfo");
  if (!text) return nullptr;
  for (const auto& line : split_lines(*text)) {
    json mount = parse_mountinfo_line(line);
    if (!mount.is_null()) result.push_back(mount);
  }
  return result;
}

json rlimits() {
  static const std::pair<const char*, int> kLimits[] = {
      {"RLIMIT_CPU", RLIMIT_CPU},           {"RLIMIT_FSIZE", RLIMIT_FSIZE},
      {"RLIMIT_DATA", RLIMIT_DATA},         {"RLIMIT_STACK", RLIMIT_STACK},
      {"RLIMIT_CORE", RLIMIT_CORE},         {"RLIMIT_RSS", RLIMIT_RSS},
      {"RLIMIT_NPROC", RLIMIT_NPROC},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
      {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},   {"RLIMIT_AS", RLIMIT_AS},
      {"RLIMIT_LOCKS", RLIMIT_LOCKS},       {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
      {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
      {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},     {"RLIMIT_RTTIME", RLIMIT_RTTIME}};
  auto value = [](rlim_t limit) {
    return limit == RLIM_INFINITY ? json(-1) : json(static_cast<uint64_t>(limit));
  };
  json result = json::object();
  for (const auto& [name, resource] : kLimits) {
    rlimit limit{};
    if (getrlimit(resource, &limit) == 0) {
      result[name] = json{{"soft", value(limit.rlim_cur)}, {"hard", value(limit.rlim_max)}};
    }
  }
  return result;
}

json strings_of(char** list) {
  json result = json::array();
  for (; list != nullptr && *list != nullptr; ++list) result.push_back(*list);
  return result;
}

json file_or_null(const std::string& path) {
  auto content = read_file(path);
  return content ? json(*content) : json(nullptr);
}

json trimmed_number_or_null(const std::string& path) {
  auto content = read_file(path);
  if (!content) return nullptr;
  return std::stoi(*content);
}

double clock_seconds(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// "keyring;<uid>;<gid>;<perm>;<name>" of the session keyring (KEYCTL_DESCRIBE), or null.
json session_keyring() {
  constexpr long kDescribe = 6;         // KEYCTL_DESCRIBE
  constexpr long kSessionKeyring = -3;  // KEY_SPEC_SESSION_KEYRING
  char text[256] = {};
  long n = syscall(SYS_keyctl, kDescribe, kSessionKeyring, text, sizeof text - 1);
  if (n <= 0) return nullptr;
  return std::string(text);
}

json report(char** argv, json fds) {
  json status = status_fields();
  utsname names{};
  uname(&names);
  char cwd[4096] = {};
  mode_t mask = umask(0);
  umask(mask);
  json result = ids();
  result["pid"] = getpid();
  result["ppid"] = getppid();
  result["capabilities"] = capabilities(status);
  result["namespaces"] = namespaces();
  result["mounts"] = mounts();
  result["hostname"] = names.nodename;
  result["domainname"] = names.domainname;
  result["rlimits"] = rlimits();
  result["env"] = strings_of(environ);
  result["cwd"] = getcwd(cwd, sizeof cwd) != nullptr ? json(cwd) : json(nullptr);
  result["argv"] = strings_of(argv);
  result["fds"] = std::move(fds);
  result["umask"] = mask;
  result["no_new_privs"] = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
  result["dumpable"] = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
  result["seccomp"] = status.contains("Seccomp")
                          ? json(std::stoi(status["Seccomp"].get<std::string>()))
                          : json(nullptr);
  auto cgroup = read_file("/proc/self/cgroup");
  result["cgroup"] = cgroup ? json(split_lines(*cgroup)) : json(nullptr);
  result["oom_score_adj"] = trimmed_number_or_null("/proc/self/oom_score_adj");
  result["uid_map"] = file_or_null("/proc/self/uid_map");
  result["gid_map"] = file_or_null("/proc/self/gid_map");
  result["clocks"] = json{{"monotonic", clock_seconds(CLOCK_MONOTONIC)},
                          {"boottime", clock_seconds(CLOCK_BOOTTIME)}};
  result["session_keyring"] = session_keyring();
  return result;
}

int write_command(const std::string& path, const std::string& text) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    print(failure(errno));
    return 0;
  }
  ssize_t n = write(fd, text.data(), text.size());
  int err = errno;
  close(fd);
  print(n < 0 ? failure(err) : json{{"ok", true}});
  return 0;
}

int connect_command(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) {
    print(failure(ENAMETOOLONG));
    return 0;
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    print(failure(errno));
    return 0;
  }
  int ret = connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  int err = errno;
  close(fd);
  print(ret == 0 ? json{{"ok", true}} : failure(err));
  return 0;
}

int mkdir_command(const std::string& path) {
  print(mkdir(path.c_str(), 0755) == 0 ? json{{"ok", true}} : failure(errno));
  return 0;
}

int read_command(const std::string& path) {
  int err = 0;
  auto content = read_file(path, &err);
  print(content ? json{{"ok", true}, {"content", *content}} : failure(err));
  return 0;
}

std::string file_type(mode_t mode) {
  if (S_ISCHR(mode)) return "char";
  if (S_ISBLK(mode)) return "block";
  if (S_ISDIR(mode)) return "dir";
  if (S_ISREG(mode)) return "file";
  if (S_ISLNK(mode)) return "symlink";
  if (S_ISFIFO(mode)) return "fifo";
  if (S_ISSOCK(mode)) return "socket";
  return "unknown";
}

int stat_command(const std::string& path) {
  struct stat info {};
  if (lstat(path.c_str(), &info) != 0) {
    print(failure(errno));
    return 0;
  }
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
  print(json{{"ok", true},
             {"type", file_type(info.st_mode)},
             {"mode", mode},
             {"uid", info.st_uid},
             {"gid", info.st_gid},
             {"size", static_cast<int64_t>(info.st_size)},
             {"major", major(info.st_rdev)},
             {"minor", minor(info.st_rdev)}});
  return 0;
}

int sysctl_command(std::string key) {
  for (char& c : key) {
    if (c == '.') c = '/';
  }
  int err = 0;
  auto value = read_file("/proc/sys/" + key, &err);
  if (!value) {
    print(failure(err));
    return 0;
  }
  while (!value->empty() && value->back() == '\n') value->pop_back();
  print(json{{"ok", true}, {"value", *value}});
  return 0;
}

// The syscalls tests may name. Arguments come from the command line and the tests must pick
// harmless ones: zero is NULL for pointers, but e.g. kexec_load with no segments unloads the
// loaded image and finit_module:0 reads stdin, so such calls get invalid flags or fds (-1).
const std::pair<const char*, long> kSyscalls[] = {
    {"getppid", SYS_getppid},
    {"getpid", SYS_getpid},
    {"getuid", SYS_getuid},
    {"getgid", SYS_getgid},
    {"getsid", SYS_getsid},
    {"sched_yield", SYS_sched_yield},
    {"getpriority", SYS_getpriority},
    {"personality", SYS_personality},
    {"unshare", SYS_unshare},
    {"setns", SYS_setns},
    {"mount", SYS_mount},
    {"umount2", SYS_umount2},
    {"pivot_root", SYS_pivot_root},
    {"chroot", SYS_chroot},
    {"keyctl", SYS_keyctl},
    {"add_key", SYS_add_key},
    {"request_key", SYS_request_key},
    {"bpf", SYS_bpf},
    {"perf_event_open", SYS_perf_event_open},
    {"io_uring_setup", SYS_io_uring_setup},
    {"clone", SYS_clone},
    {"clone3", SYS_clone3},
    {"fsopen", SYS_fsopen},
    {"fsconfig", SYS_fsconfig},
    {"fsmount", SYS_fsmount},
    {"fspick", SYS_fspick},
    {"move_mount", SYS_move_mount},
    {"open_tree", SYS_open_tree},
    {"mount_setattr", SYS_mount_setattr},
    {"open_by_handle_at", SYS_open_by_handle_at},
    {"userfaultfd", SYS_userfaultfd},
    {"ptrace", SYS_ptrace},
    {"kexec_load", SYS_kexec_load},
    {"init_module", SYS_init_module},
    {"finit_module", SYS_finit_module},
    {"delete_module", SYS_delete_module},
    {"reboot", SYS_reboot},
    {"swapon", SYS_swapon},
    {"swapoff", SYS_swapoff},
    {"settimeofday", SYS_settimeofday},
    {"clock_settime", SYS_clock_settime},
    {"clock_adjtime", SYS_clock_adjtime},
    {"adjtimex", SYS_adjtimex},
    {"syslog", SYS_syslog},
};

// NAME[:ARG0[:ARG1...]] of the list above; number is -1 for a name not in it.
struct SyscallSpec {
  long number = -1;
  long args[6] = {};
};

SyscallSpec parse_syscall(const std::string& spec) {
  auto words = split_words(spec, ':');
  SyscallSpec parsed;
  for (const auto& [name, nr] : kSyscalls) {
    if (words.at(0) == name) parsed.number = nr;
  }
  for (size_t i = 1; i < words.size() && i <= 6; ++i) {
    parsed.args[i - 1] = std::stol(words[i], nullptr, 0);
  }
  return parsed;
}

long invoke(const SyscallSpec& call) {
  const long* a = call.args;
  return syscall(call.number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

json result_of(long ret, int err) {
  return json{{"ret", ret}, {"errno", ret == -1 ? json(errno_name(err)) : json(nullptr)}};
}

json call_syscall(const std::string& spec) {
  SyscallSpec call = parse_syscall(spec);
  if (call.number < 0) return json{{"unknown", true}};
  errno = 0;
  long ret = invoke(call);
  return result_of(ret, errno);
}

json seccomp_status() {
  json status = status_fields();
  auto number = [&](const char* key) {
    return status.contains(key) ? json(std::stoi(status[key].get<std::string>())) : json(nullptr);
  };
  return json{{"seccomp", number("Seccomp")}, {"seccomp_filters", number("Seccomp_filters")}};
}

int64_t monotonic_ns() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// For bench-seccomp: the cost of one syscall under the filter the process runs with.
int syscall_loop_command(const std::string& spec, const std::string& count_text) {
  SyscallSpec call = parse_syscall(spec);
  long count = std::atol(count_text.c_str());
  if (call.number < 0 || count <= 0) {
    std::cerr << "probe syscall-loop: unknown syscall " << spec << " or bad count " << count_text
              << "\n";
    return 2;
  }
  errno = 0;
  long first = invoke(call);
  bool same = true;
  long ret = first;
  int err = errno;
  // A hundred chunks (fewer for a small N): the fastest one is the cost with the least
  // preemption by other work on the machine.
  long chunks = std::min(count, 100L);
  double best = 0;
  int64_t start = monotonic_ns();
  for (long chunk = 0; chunk < chunks; ++chunk) {
    long calls = count / chunks + (chunk < count % chunks ? 1 : 0);
    int64_t chunk_start = monotonic_ns();
    for (long i = 0; i < calls; ++i) {
      errno = 0;
      ret = invoke(call);
      err = errno;
      same = same && ret == first;
    }
    double per_call =
        static_cast<double>(monotonic_ns() - chunk_start) / static_cast<double>(calls);
    if (chunk == 0 || per_call < best) best = per_call;
  }
  int64_t elapsed = monotonic_ns() - start;
  json out = result_of(ret, err);
  out["syscall"] = split_words(spec, ':').at(0);
  out["calls"] = count;
  out["ns_per_call"] = static_cast<double>(elapsed) / static_cast<double>(count);
  out["best_chunk_ns_per_call"] = best;
  out["same"] = same;
  out.update(seccomp_status());
  print(out);
  return 0;
}

// For bench-seccomp: a workload's wall time, measured inside the container.
int timed_command(char** command) {
  std::cout.flush();
  int64_t start = monotonic_ns();
  pid_t child = fork();
  if (child < 0) {
    print(failure(errno));
    return 1;
  }
  if (child == 0) {
    execvp(command[0], command);
    _exit(127);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) {
      print(failure(errno));
      return 1;
    }
  }
  int64_t elapsed = monotonic_ns() - start;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  print(json{{"status", code}, {"ns", elapsed}});
  return 0;
}

int syscalls_command(int argc, char** argv) {
  json results = json::object();
  for (int i = 2; i < argc; ++i) results[split_words(argv[i], ':').at(0)] = call_syscall(argv[i]);
  print(json{{"seccomp", seccomp_status()["seccomp"]}, {"results", results}});
  return 0;
}

// A container attacking another one through a directory both see: A and B (a directory and a
// symlink) trade places as fast as the kernel allows. A failed swap (one of them missing) is
// reported once and the loop keeps trying.
int exchange_command(const char* a, const char* b) {
  std::cout << "ready" << std::endl;
  bool reported = false;
  for (;;) {
    if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) < 0 && !reported) {
      print(failure(errno));
      reported = true;
    }
  }
}

void ignore(int) {}

// Handlers are installed (not only blocked) because the kernel drops signals with a default
// action that are sent to a pid namespace's init.
int signals_command() {
  sigset_t all;
  sigfillset(&all);
  for (int sig : {SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGILL, SIGFPE}) sigdelset(&all, sig);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sigismember(&all, sig) == 1) signal(sig, ignore);
  }
  sigprocmask(SIG_BLOCK, &all, nullptr);
  std::cout << "ready" << std::endl;
  for (;;) {
    int sig = sigwaitinfo(&all, nullptr);
    if (sig < 0) continue;
    std::cout << "signal " << sig << std::endl;
    if (sig == SIGTERM) return 0;
  }
}

int usage() {
  std::cerr << "usage: probe [report|exit N|sleep S|signals|write PATH TEXT|read PATH|"
               "mkdir PATH|stat PATH|sysctl KEY|exchange A B|syscalls NAME[:ARG...]...|"
               "attack TARGET ACTION...|abi ABI NAME[:ARG...]...|syscall-loop NAME[:ARG...] N|"
               "timed COMMAND [ARG...]]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  json fds = open_fds();
  std::string command = argc > 1 ? argv[1] : "report";
  if (command == "report") {
    print(report(argv, std::move(fds)));
    return 0;
  }
  if (command == "signals" && argc == 2) return signals_command();
  if (command == "exit" && argc == 3) return std::atoi(argv[2]);
  if (command == "sleep" && argc == 3) return sleep(static_cast<unsigned>(std::atoi(argv[2])));
  if (command == "write" && argc == 4) return write_command(argv[2], argv[3]);
  if (command == "read" && argc == 3) return read_command(argv[2]);
  if (command == "mkdir" && argc == 3) return mkdir_command(argv[2]);
  if (command == "stat" && argc == 3) return stat_command(argv[2]);
  if (command == "connect" && argc == 3) return connect_command(argv[2]);
  if (command == "sysctl" && argc == 3) return sysctl_command(argv[2]);
  if (command == "exchange" && argc == 4) return exchange_command(argv[2], argv[3]);
  if (command == "syscalls" && argc >= 3) return syscalls_command(argc, argv);
  if (command == "attack" && argc >= 4) return probe::attack_command(argc, argv);
  if (command == "abi" && argc >= 3) return probe::abi_command(argc, argv);
  if (command == "syscall-loop" && argc == 4) return syscall_loop_command(argv[2], argv[3]);
  if (command == "timed" && argc >= 3) return timed_command(argv + 2);
  return usage();
}
