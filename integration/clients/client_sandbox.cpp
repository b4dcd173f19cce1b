#include "clients/client_sandbox.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/environment.hpp"
#include "harness/leftovers.hpp"

namespace integration::clients {

namespace fs = std::filesystem;

namespace {

std::string tail_of(const std::string& text, size_t lines) {
  size_t start = text.size();
  for (size_t seen = 0; start > 0 && seen <= lines;) {
    --start;
    if (text[start] == '\n') ++seen;
  }
  return text.substr(start);
}

// Quotes one word for sh -c.
std::string shell_quote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// Every cgroup directory named `marker` at the top of a hierarchy, with what lies below it,
// deepest first so rmdir can remove them in order.
std::vector<fs::path> cgroup_tree(const std::string& marker) {
  std::vector<fs::path> tree;
  for (const auto& top : cgroups_named(marker)) {
    std::error_code error;
    for (fs::recursive_directory_iterator it(top, error), end; !error && it != end;
         it.increment(error)) {
      if (it->is_directory(error)) tree.push_back(it->path());
    }
    tree.push_back(top);
  }
  std::sort(tree.begin(), tree.end(), [](const fs::path& a, const fs::path& b) {
    return a.string().size() > b.string().size();
  });
  return tree;
}

}  // namespace

bool installed(const std::string& path, const std::string& what, std::string* why_not) {
  if (access(path.c_str(), X_OK) == 0) return true;
  *why_not = what + ": " + path + " not installed (scripts/setup installs it)";
  return false;
}

std::string inspect_field(const CommandResult& inspected) {
  EXPECT_EQ(inspected.exit_code, 0) << inspected.describe();
  std::string out = inspected.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string sandbox_runtime(std::string* why_not) {
  if (!runtime_is_burrow()) {
    *why_not = "sandbox mode is burrow's own";
    return "";
  }
  std::string link = (fs::path(runtime_path()).parent_path() / "burrow-sandbox").string();
  if (access(link.c_str(), X_OK) != 0) {
    *why_not = "no burrow-sandbox link beside " + runtime_path();
    return "";
  }
  return link;
}

uint64_t leased_root(const std::string& uid_map) {
  std::istringstream map(uid_map);
  uint64_t inside = 1, outside = 0, count = 0;
  map >> inside >> outside >> count;
  return inside == 0 && count == 65536 ? outside : 0;
}

const char* const kPrivilegedInsideScript =
    "cat /proc/self/uid_map; echo devices: $(ls /dev); "
    "v=$(cat /proc/sys/kernel/printk_ratelimit); "
    "(echo $v >/proc/sys/kernel/printk_ratelimit) 2>/dev/null && "
    "echo host sysctl written; mkdir /tmp/p && unshare -p -f -m mount -t proc proc /tmp/p && "
    "echo nested";

void expect_privileged_inside_only(const CommandResult& result) {
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_GE(leased_root(result.out), kLeasePoolStart) << result.describe();
  EXPECT_NE(result.out.find("devices: "), std::string::npos) << result.describe();
  for (const char* host_device : {"kmsg", "mem ", "sda", "loop0", "vda", "zram0"})
    EXPECT_EQ(result.out.find(host_device), std::string::npos) << result.describe();
  EXPECT_EQ(result.out.find("host sysctl written"), std::string::npos) << result.describe();
  EXPECT_NE(result.out.find("nested"), std::string::npos) << result.describe();
}

ClientSandbox::ClientSandbox(const std::string& name) {
  // Short: dockerd's and containerd's unix sockets live below it (108-byte limit).
  dir_ = make_temp_dir("bc-" + name + ".");
  marker_ = "burrow-" + name + "-" + fs::path(dir_).filename().string().substr(name.size() + 4);
  chmod(dir_.c_str(), 0755);
}

ClientSandbox::~ClientSandbox() {
  stop_daemon();
  kill_tagged_processes();
  remove_cgroups();
  detach_mounts_under({dir_});
  std::error_code error;
  fs::remove_all(dir_, error);
}

std::vector<std::string> ClientSandbox::tagged(const std::vector<std::string>& argv) const {
  std::vector<std::string> full = {"env", "BURROW_TEST_ID=" + marker_};
  full.insert(full.end(), argv.begin(), argv.end());
  return full;
}

void ClientSandbox::start_daemon(const std::vector<std::string>& argv) {
  // `unshare -n` rather than `ip netns exec`, which would remount /sys and hide the cgroups.
  std::vector<std::string> wrapped = {
      "unshare", "-n", "--", "sh", "-c", "ip link set lo up && exec \"$@\"", "daemon"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  std::string log = dir_ + "/daemon.log";
  daemon_ = std::make_unique<Command>(tagged(wrapped), log, log);
}

std::string ClientSandbox::daemon_log_tail() const {
  return tail_of(read_text(dir_ + "/daemon.log"), 15);
}

std::string ClientSandbox::wait_ready(const std::vector<std::string>& probe,
                                      std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  CommandResult last;
  while (std::chrono::steady_clock::now() < deadline) {
    last = run(probe, 10s);
    if (last.exit_code == 0) return {};
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(daemon_->pid()), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid != 0) {
      return "the daemon exited; its log ends:\n" + daemon_log_tail();
    }
    std::this_thread::sleep_for(100ms);
  }
  return "the daemon did not answer within " + std::to_string(timeout.count()) +
         " s (last probe: " + last.describe() + "); its log ends:\n" + daemon_log_tail();
}

CommandResult ClientSandbox::run(const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout) const {
  return run_command(tagged(argv), dir_, timeout);
}

CommandResult ClientSandbox::run_on_tty(const std::vector<std::string>& argv,
                                        std::chrono::milliseconds timeout) const {
  std::string line;
  for (const auto& word : argv) line += (line.empty() ? "" : " ") + shell_quote(word);
  return run({"script", "-qefc", line, "/dev/null"}, timeout);
}

std::unique_ptr<Command> ClientSandbox::start(const std::vector<std::string>& argv) const {
  std::string base = dir_ + "/bg" + std::to_string(started_++);
  return std::make_unique<Command>(tagged(argv), base + ".out", base + ".err");
}

std::string ClientSandbox::rootfs_tar(std::string* why_not) const {
  const std::string& rootfs = shared_rootfs(why_not);
  if (rootfs.empty()) return {};
  std::string tar = dir_ + "/rootfs.tar";
  auto made = run_command({"tar", "--numeric-owner", "-C", rootfs, "-cf", tar, "."}, dir_);
  if (made.exit_code != 0) {
    *why_not = "tar of " + rootfs + " failed: " + made.describe();
    return {};
  }
  return tar;
}

std::string ClientSandbox::image_archive(const std::string& name, std::string* why_not) const {
  const std::string& rootfs = shared_rootfs(why_not);
  if (rootfs.empty()) return {};
  std::string archive = dir_ + "/image.tar";
  auto made =
      run_command({BURROW_SOURCE_DIR "/scripts/make-image-archive", rootfs, name, archive}, dir_);
  if (made.exit_code != 0) {
    *why_not = "make-image-archive failed: " + made.describe();
    return {};
  }
  return archive;
}

void ClientSandbox::stop_daemon() {
  if (!daemon_) return;
  daemon_->send_signal(SIGTERM);
  daemon_->wait(20s);  // kills it after that
  daemon_.reset();
}

// Shims, conmon and a daemon's own children inherit the tag; container processes do not
// (their environment is the image's) and are found through the cgroups instead.
void ClientSandbox::kill_tagged_processes() const {
  for (int round = 0; round < 50; ++round) {
    auto pids = processes_with_marker(marker_);
    pids.erase(std::remove(pids.begin(), pids.end(), getpid()), pids.end());
    if (pids.empty()) return;
    for (int pid : pids) kill(pid, SIGKILL);
    std::this_thread::sleep_for(100ms);
  }
}

void ClientSandbox::remove_cgroups() const {
  for (int round = 0; round < 50; ++round) {
    auto tree = cgroup_tree(marker_);
    if (tree.empty()) return;
    for (const auto& dir : tree) {
      std::ifstream procs(dir / "cgroup.procs");
      for (int pid; procs >> pid;) kill(pid, SIGKILL);
      rmdir(dir.c_str());
    }
    std::this_thread::sleep_for(100ms);
  }
}

}  // namespace integration::clients
