#include "probe/attack.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "probe/output.hpp"

namespace probe {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string proc_path(pid_t pid, const std::string& name) {
  return "/proc/" + std::to_string(pid) + "/" + name;
}

std::set<pid_t> current_pids() {
  std::set<pid_t> pids;
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return pids;
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (*end == '\0' && pid > 0) pids.insert(static_cast<pid_t>(pid));
  }
  closedir(dir);
  return pids;
}

json command_line(pid_t pid) {
  auto text = read_file(proc_path(pid, "cmdline"));
  if (!text) return nullptr;
  json words = json::array();
  std::string word;
  for (char c : *text) {
    if (c != '\0') {
      word.push_back(c);
    } else {
      words.push_back(word);
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

// Gone, or a zombie: its executable is released either way.
bool has_ended(pid_t pid) {
  auto stat = read_file(proc_path(pid, "stat"));
  if (!stat) return true;
  auto paren = stat->rfind(')');
  return paren == std::string::npos || paren + 2 >= stat->size() || (*stat)[paren + 2] == 'Z' ||
         (*stat)[paren + 2] == 'X';
}

// Polls for up to a minute for a process other than this one that `wanted` accepts.
template <typename Wanted>
pid_t wait_for_process(Wanted wanted) {
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    for (pid_t pid : current_pids()) {
      if (pid != getpid() && wanted(pid)) return pid;
    }
    std::this_thread::sleep_for(2ms);
  }
  return -1;
}

pid_t find_target(const std::string& target) {
  if (target == "new") {
    std::set<pid_t> before = current_pids();
    std::cout << "hunting" << std::endl;
    return wait_for_process([&](pid_t pid) { return before.count(pid) == 0; });
  }
  if (target.rfind("cmdline=", 0) == 0) {
    std::string wanted = target.substr(8);
    return wait_for_process([&](pid_t pid) {
      json words = command_line(pid);
      if (!words.is_array()) return false;
      std::string text;
      for (const auto& word : words) text += (text.empty() ? "" : " ") + word.get<std::string>();
      return text == wanted;
    });
  }
  return static_cast<pid_t>(std::atoi(target.c_str()));
}

std::string filesystem_name(long magic) {
  static const std::pair<long, const char*> kNames[] = {
      {PROC_SUPER_MAGIC, "proc"},
      {TMPFS_MAGIC, "tmpfs"},
      {OVERLAYFS_SUPER_MAGIC, "overlay"},
      {EXT4_SUPER_MAGIC, "ext4"},
      {XFS_SUPER_MAGIC, "xfs"},
      {BTRFS_SUPER_MAGIC, "btrfs"},
      {PIPEFS_MAGIC, "pipefs"},
      {SOCKFS_MAGIC, "sockfs"},
      {ANON_INODE_FS_MAGIC, "anon_inodefs"},
      {DEVPTS_SUPER_MAGIC, "devpts"},
      {SYSFS_MAGIC, "sysfs"},
      {CGROUP_SUPER_MAGIC, "cgroup"},
      {CGROUP2_SUPER_MAGIC, "cgroup2"},
      {NSFS_MAGIC, "nsfs"},
  };
  for (const auto& [known, name] : kNames)
    if (magic == known) return name;
  char hex[32];
  std::snprintf(hex, sizeof hex, "0x%lx", static_cast<unsigned long>(magic));
  return hex;
}

std::string file_type(mode_t mode) {
  if (S_ISDIR(mode)) return "dir";
  if (S_ISREG(mode)) return "file";
  if (S_ISFIFO(mode)) return "fifo";
  if (S_ISSOCK(mode)) return "socket";
  if (S_ISCHR(mode)) return "char";
  if (S_ISBLK(mode)) return "block";
  return "other";
}

// Opens `path` for writing and, if that works, writes the first byte back unchanged (0x7f:
// every ELF file starts with it), so that a binary that is writable is proven so, not harmed.
json try_to_write(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return failure(errno);
  const char elf_magic = 0x7f;
  ssize_t written = pwrite(fd, &elf_magic, 1, 0);
  int err = errno;
  close(fd);
  json result = written == 1 ? json{{"ok", true}} : failure(err);
  result["opened"] = true;
  return result;
}

// As the exploit: retries for a while as long as some process still runs the binary.
json write_once_not_busy(const std::string& path) {
  auto deadline = std::chrono::steady_clock::now() + 10s;
  json attempt = try_to_write(path);
  while (attempt["errno"] == "ETXTBSY" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
    attempt = try_to_write(path);
  }
  return attempt;
}

// `hold` (null: no waiting) announces the wait for the target's end.
json exe_attack(pid_t pid, const std::function<void()>& hold) {
  json result = json::object();
  std::string path = proc_path(pid, "exe");
  char target[4096];
  ssize_t n = readlink(path.c_str(), target, sizeof target - 1);
  result["link"] = n >= 0 ? json(std::string(target, static_cast<size_t>(n))) : failure(errno);
  int handle = open(path.c_str(), O_PATH | O_CLOEXEC);
  if (handle >= 0) {
    struct stat info {};
    struct statfs fs {};
    if (fstat(handle, &info) == 0) {
      result["dev"] = std::to_string(major(info.st_dev)) + ":" + std::to_string(minor(info.st_dev));
      result["ino"] = static_cast<uint64_t>(info.st_ino);
    }
    if (fstatfs(handle, &fs) == 0) result["fs"] = filesystem_name(fs.f_type);
  }
  result["handle"] = handle >= 0 ? json{{"ok", true}} : failure(errno);
  result["write"] = try_to_write(path);
  std::string reopen = "/proc/self/fd/" + std::to_string(handle);
  if (handle >= 0) result["reopen"] = try_to_write(reopen);
  if (hold) {
    hold();
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (!has_ended(pid) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(2ms);
    result["ended"] = has_ended(pid);
    result["reopen_later"] = handle >= 0 ? write_once_not_busy(reopen) : result["handle"];
  }
  if (handle >= 0) close(handle);
  return result;
}

json ptrace_attack(pid_t pid) {
  json result = json::object();
  int status = 0;
  if (ptrace(PTRACE_SEIZE, pid, nullptr, nullptr) == 0) {
    // Detaching needs a stopped tracee.
    ptrace(PTRACE_INTERRUPT, pid, nullptr, nullptr);
    waitpid(pid, &status, __WALL);
    ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
    result["seize"] = json{{"ok", true}};
  } else {
    result["seize"] = failure(errno);
  }
  if (ptrace(PTRACE_ATTACH, pid, nullptr, nullptr) == 0) {
    waitpid(pid, &status, __WALL);  // the attach stop, before the tracee may be detached
    ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
    result["attach"] = json{{"ok", true}};
  } else {
    result["attach"] = failure(errno);
  }
  int mem = open(proc_path(pid, "mem").c_str(), O_RDWR | O_CLOEXEC);
  result["mem"] = mem >= 0 ? json{{"ok", true}} : failure(errno);
  if (mem >= 0) close(mem);
  return result;
}

// What one fd of another process opens: its link text, and what following it reaches. A procfs
// directory also says which pid namespace it shows: "self" there is this probe's pid only in
// the probe's own namespace. "in_container": the link text names this very file here.
json describe_fd(const std::string& link) {
  char target[4096];
  ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
  if (n < 0) return failure(errno);
  std::string text(target, static_cast<size_t>(n));
  json entry = {{"ok", true}, {"target", text}};
  struct stat info {};
  if (stat(link.c_str(), &info) != 0) return entry;
  entry["type"] = file_type(info.st_mode);
  struct statfs fs {};
  if (statfs(link.c_str(), &fs) == 0) entry["fs"] = filesystem_name(fs.f_type);
  if (S_ISDIR(info.st_mode) && fs.f_type == PROC_SUPER_MAGIC) {
    n = readlink((link + "/self").c_str(), target, sizeof target - 1);
    entry["self"] = n >= 0 ? json(std::string(target, static_cast<size_t>(n))) : nullptr;
  }
  struct stat here {};
  entry["in_container"] = !text.empty() && text[0] == '/' && stat(text.c_str(), &here) == 0 &&
                          here.st_dev == info.st_dev && here.st_ino == info.st_ino;
  return entry;
}

json fds_attack(pid_t pid) {
  std::string dir_path = proc_path(pid, "fd");
  DIR* dir = opendir(dir_path.c_str());
  if (dir == nullptr) return failure(errno);
  std::vector<std::string> names;
  while (dirent* entry = readdir(dir))
    if (entry->d_name[0] != '.') names.push_back(entry->d_name);
  closedir(dir);
  json entries = json::array();
  for (const auto& name : names) {
    json entry = describe_fd(dir_path + "/" + name);
    entry["fd"] = std::atoi(name.c_str());
    entries.push_back(entry);
  }
  return json{{"ok", true}, {"probe_pid", getpid()}, {"entries", entries}};
}

// fds, again and again until the target execs (its command line changes) or ends: every
// distinct entry seen on the way.
json fds_watch(pid_t pid) {
  json before = command_line(pid);
  json result = {{"ok", false}, {"probe_pid", getpid()}, {"samples", 0}};
  std::set<std::string> seen;
  json entries = json::array();
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (!has_ended(pid) && command_line(pid) == before &&
         std::chrono::steady_clock::now() < deadline) {
    json sample = fds_attack(pid);
    result["samples"] = result["samples"].get<int>() + 1;
    if (sample["ok"] == false) {
      result["errno"] = sample["errno"];
      continue;
    }
    result["ok"] = true;
    for (const auto& entry : sample["entries"])
      if (seen.insert(entry.dump()).second) entries.push_back(entry);
  }
  result["entries"] = entries;
  return result;
}

}  // namespace

int attack_command(int argc, char** argv) {
  pid_t pid = find_target(argv[2]);
  if (pid <= 0) {
    print(json{{"ok", false}, {"error", "no target process"}});
    return 1;
  }
  json result = {{"pid", pid}, {"cmdline", command_line(pid)}};
  bool holding = false;
  auto hold = [&] {
    if (!holding) std::cout << "holding" << std::endl;
    holding = true;
  };
  for (int i = 3; i < argc; ++i) {
    std::string action = argv[i];
    if (action == "exe") result["exe"] = exe_attack(pid, nullptr);
    if (action == "exe-later") result["exe"] = exe_attack(pid, hold);
    if (action == "ptrace") result["ptrace"] = ptrace_attack(pid);
    if (action == "fds") result["fds"] = fds_attack(pid);
    if (action == "fds-watch") {
      hold();
      result["fds"] = fds_watch(pid);
    }
  }
  result["cmdline_after"] = command_line(pid);
  print(result);
  return 0;
}

}  // namespace probe
