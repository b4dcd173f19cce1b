// One test's world for a real container client (dockerd, podman, containerd): a private state
// directory, a network namespace of the daemon's own, a unique marker that names its cgroup
// parent and tags every process it starts, and a teardown that leaves none of them behind.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/command.hpp"

namespace integration::clients {

using namespace std::chrono_literals;

class ClientSandbox {
 public:
  // `name` prefixes the directory and the marker (e.g. "docker").
  explicit ClientSandbox(const std::string& name);
  ClientSandbox(const ClientSandbox&) = delete;
  ClientSandbox& operator=(const ClientSandbox&) = delete;
  // Stops the daemon, kills what it left running, removes its cgroups, mounts and directory.
  ~ClientSandbox();

  const std::string& dir() const { return dir_; }
  // Unique per sandbox: the cgroup parent (or ctr namespace) and the BURROW_TEST_ID tag.
  const std::string& marker() const { return marker_; }

  // Starts argv as the long-running daemon, in a new network namespace with only lo (up).
  // Its output goes to dir()/daemon.log.
  void start_daemon(const std::vector<std::string>& argv);
  // Polls `probe` until it exits 0: empty, or why the daemon is not ready (with its log tail).
  std::string wait_ready(const std::vector<std::string>& probe, std::chrono::seconds timeout);
  std::string daemon_log_tail() const;

  // A client command, tagged with the marker, stdin from /dev/null.
  CommandResult run(const std::vector<std::string>& argv,
                    std::chrono::milliseconds timeout = 60s) const;
  // The same on a terminal: script(1) gives the command a pty as its stdin/stdout/stderr.
  CommandResult run_on_tty(const std::vector<std::string>& argv,
                           std::chrono::milliseconds timeout = 60s) const;
  // Starts a client command in the background (e.g. a foreground `docker run`).
  std::unique_ptr<Command> start(const std::vector<std::string>& argv) const;

  // A tar of the shared test rootfs (busybox + /probe), for `docker import`; empty with
  // `why_not` set when the rootfs cannot be built.
  std::string rootfs_tar(std::string* why_not) const;
  // An image archive of the same tree that `ctr images import` reads, named `name`.
  std::string image_archive(const std::string& name, std::string* why_not) const;

 private:
  std::vector<std::string> tagged(const std::vector<std::string>& argv) const;
  void stop_daemon();
  void kill_tagged_processes() const;
  void remove_cgroups() const;

  std::string dir_;
  std::string marker_;
  std::unique_ptr<Command> daemon_;
  mutable int started_ = 0;  // names start()'s output files
};

// True when `path` is an executable file; else sets `why_not` ("<what>: <path> not installed").
bool installed(const std::string& path, const std::string& what, std::string* why_not);

// The output of a `<client> inspect -f FORMAT` without its newline; a failure is a test failure
// (and an empty field).
std::string inspect_field(const CommandResult& inspected);

// Sandbox mode (burrow's own): the burrow-sandbox link beside the runtime under test; empty with
// `why_not` set when the runtime is not burrow or the link is missing.
std::string sandbox_runtime(std::string* why_not);
// "<inside> <outside> <count>" of a uid_map's first line -> outside when container root maps to
// a range of 65536 (a sandbox lease), else 0 (e.g. root mapped to the host's root).
uint64_t leased_root(const std::string& uid_map);
// The first host uid of the pool `run.burrow.userns=auto` leases from (/etc/subuid's burrow).
constexpr uint64_t kLeasePoolStart = 1879048192;

// What a sandboxed --privileged container runs to show it is privileged inside only: its uid
// map, its /dev, a write of a host sysctl (its value back), a nested procfs mount.
extern const char* const kPrivilegedInsideScript;
// The checks on that script's run: root leased, no host device, no host sysctl written, the
// nested procfs mounted.
void expect_privileged_inside_only(const CommandResult& result);

}  // namespace integration::clients
