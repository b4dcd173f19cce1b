#include "rootless/outer_namespace.hpp"

#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "harness/command.hpp"
#include "harness/network.hpp"

namespace integration {

namespace fs = std::filesystem;

namespace {

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

// "" or what failed.
std::string write_file(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno_text("open " + path);
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  std::string error = written ? "" : errno_text("write " + path + " \"" + text + "\"");
  ::close(fd);
  return error;
}

std::string read_all(int fd) {
  std::string text;
  char buffer[4096];
  for (ssize_t got; (got = ::read(fd, buffer, sizeof(buffer))) > 0;)
    text.append(buffer, static_cast<size_t>(got));
  return text;
}

// `ip` keeps CAP_NET_ADMIN across its execve although its uid is not 0 there (the caller
// mapping): an ambient capability. Fresh from unshare we hold every capability of the namespace.
std::string keep_net_admin_across_exec() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (::syscall(SYS_capget, &header, data) < 0) return errno_text("capget");
  data[CAP_NET_ADMIN / 32].inheritable |= 1u << (CAP_NET_ADMIN % 32);
  if (::syscall(SYS_capset, &header, data) < 0) return errno_text("capset");
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_ADMIN, 0, 0) < 0)
    return errno_text("raise ambient CAP_NET_ADMIN");
  return "";
}

// In the holder: the namespaces, the mapping and the network; "" or what failed.
std::string become_outer(OuterMapping mapping, const std::string& scratch) {
  uid_t uid = ::getuid();
  gid_t gid = ::getgid();
  if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
    return errno_text("unshare(CLONE_NEWUSER | CLONE_NEWNET)");
  uid_t inside_uid = mapping == OuterMapping::root ? 0 : uid;
  gid_t inside_gid = mapping == OuterMapping::root ? 0 : gid;
  for (const auto& [file, line] : std::vector<std::pair<std::string, std::string>>{
           {"/proc/self/setgroups", "deny"},
           {"/proc/self/uid_map", std::to_string(inside_uid) + " " + std::to_string(uid) + " 1"},
           {"/proc/self/gid_map", std::to_string(inside_gid) + " " + std::to_string(gid) + " 1"}}) {
    if (std::string error = write_file(file, line); !error.empty()) return error;
  }
  if (std::string error = keep_net_admin_across_exec(); !error.empty()) return error;
  for (const auto& args : outer_network_setup()) {
    CommandResult result = run_command(args, scratch);
    if (result.exit_code != 0) return result.describe();
  }
  return "";
}

}  // namespace

std::unique_ptr<OuterNamespace> OuterNamespace::make(OuterMapping mapping,
                                                     const std::string& scratch,
                                                     std::string* why_not) {
  int report[2];
  if (::pipe2(report, O_CLOEXEC) < 0) {
    *why_not = errno_text("pipe");
    return nullptr;
  }
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    *why_not = errno_text("fork");
    return nullptr;
  }
  if (pid == 0) {
    ::close(report[0]);
    // Never outlives the test process.
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || ::getppid() != parent) ::_exit(1);
    std::string error = become_outer(mapping, scratch);
    std::string message = error.empty() ? "ready" : error;
    (void)!::write(report[1], message.data(), message.size());
    if (!error.empty()) ::_exit(1);
    ::close(report[1]);
    for (;;) ::pause();
  }
  ::close(report[1]);
  std::string message = read_all(report[0]);
  ::close(report[0]);
  int pidfd = message == "ready" ? static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)) : -1;
  if (pidfd < 0) {
    *why_not = message == "ready" ? errno_text("pidfd_open") : "outer namespace: " + message;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return nullptr;
  }
  return std::unique_ptr<OuterNamespace>(new OuterNamespace(pid, pidfd));
}

OuterNamespace::OuterNamespace(pid_t holder, int holder_pidfd)
    : holder_(holder), holder_pidfd_(holder_pidfd) {}

OuterNamespace::~OuterNamespace() {
  ::kill(holder_, SIGKILL);
  ::waitpid(holder_, nullptr, 0);
  ::close(holder_pidfd_);
}

std::vector<std::string> OuterNamespace::enter(const std::vector<std::string>& argv) const {
  // The user namespace first (nsenter does so for an unprivileged caller), then its network
  // namespace; --preserve-credentials: the caller's own ids, as the mapping shows them.
  std::vector<std::string> command = {"nsenter", "--target", std::to_string(holder_),
                                      "--user",  "--net",    "--preserve-credentials",
                                      "--"};
  command.insert(command.end(), argv.begin(), argv.end());
  return command;
}

std::string OuterNamespace::call(const std::function<std::string()>& body) const {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) < 0) return "";
  pid_t child = ::fork();
  if (child < 0) return "";
  if (child == 0) {
    ::close(out[0]);
    if (::setns(holder_pidfd_, CLONE_NEWUSER | CLONE_NEWNET) < 0) ::_exit(1);
    std::string result = body();
    (void)!::write(out[1], result.data(), result.size());
    ::_exit(0);
  }
  ::close(out[1]);
  std::string result = read_all(out[0]);
  ::close(out[0]);
  ::waitpid(child, nullptr, 0);
  return result;
}

std::string OuterNamespace::proc_net() const {
  return "/proc/" + std::to_string(holder_) + "/net";
}

std::vector<pid_t> OuterNamespace::other_processes() const {
  struct stat ours {};
  if (::stat(("/proc/" + std::to_string(holder_) + "/ns/net").c_str(), &ours) < 0) return {};
  std::vector<pid_t> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/proc", error)) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t pid = std::stoi(name);
    struct stat theirs {};
    if (pid == holder_ || ::stat((entry.path() / "ns/net").c_str(), &theirs) < 0) continue;
    if (theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino) found.push_back(pid);
  }
  return found;
}

}  // namespace integration
