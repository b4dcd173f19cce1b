// Sandbox mode (`--sandbox`, invoked as `burrow-sandbox`, or the annotation
// run.burrow.sandbox=true): the container an engine asked for, inside a sandbox of its own. What
// the engine wrote in config.json is rewritten before validation, so an unmodified dockerd, podman
// or containerd gets a user-namespaced system container:
//   - a user namespace with 65536 ids leased from the pool (run.burrow.userns=auto) when the
//     config has none; one that maps container root to host root, or joins the host's, is refused;
//   - the host's pid, network or ipc namespace (`--pid=host`, `--net=host`, `--ipc=host`) is
//     refused, naming the option;
//   - a system container: a cgroup namespace with the delegated subtree
//     (run.burrow.cgroup.delegate=true), no masked or read-only paths under /proc and /sys (they
//     would block nested procfs and sysfs mounts; what they guarded belongs to host root, which
//     container root is not), sysfs mounted read-write (a read-only one refuses a nested
//     read-write sysfs; its own network namespace is all it can write), /dev/fuse and /dev/net/tun,
//     profiles/dind.json's seccomp filter in place of one that blocks mounts and namespaces (or of
//     none), and every capability the runtime holds for a process that runs as root (as
//     Sysbox gives them: they act in its user namespace only, and a nested --privileged
//     container needs them all in its parent's bounding set);
//   - binds (volumes, the engine's resolv.conf and hosts files) idmapped with the container's
//     maps where their filesystem allows, so files keep their owners on both sides, as without
//     the sandbox;
//   - `--privileged` (the bounding set holds CAP_SYS_ADMIN, CAP_SYS_MODULE and CAP_SYS_RAWIO) is
//     privileged inside the sandbox only: host devices are withheld (a warning names them) but
//     the safe set; without --privileged a host device (`--device`) is refused.
// Pure JSON in, JSON out: the runtime stores the result as the container's config.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "container/options.hpp"

namespace burrow::container {

inline constexpr const char* kSandboxAnnotation = "run.burrow.sandbox";

// Whether `config` runs sandboxed: the global flag (or the burrow-sandbox name), or the
// annotation. An annotation value other than "true" or "false" is an error naming it.
Result<bool> sandbox_requested(const GlobalOptions& global, const nlohmann::json& config);

// What the host has that the rewrite depends on; the CLI fills it from the machine.
struct SandboxHost {
  bool has_fuse = false;  // /dev/fuse exists
  bool has_tun = false;   // /dev/net/tun exists
  // A namespace path the config joins -> whether it is the host's own (checked by inode).
  std::function<bool(const std::string& type, const std::string& path)> is_host_namespace;
  // The capabilities a sandboxed root gets (in its user namespace): every one the runtime holds.
  std::vector<std::string> capabilities;
  // A bind source -> whether its filesystem takes idmapped mounts (ext4, xfs, btrfs, tmpfs).
  std::function<bool(const std::string& path)> can_idmap;
};
SandboxHost detect_sandbox_host();

struct SandboxRewrite {
  bool privileged = false;
  std::vector<std::string> withheld_devices;  // --privileged: host devices not passed through
  std::vector<std::string> warnings;          // for the log, one line each
};

// Rewrites `config` (a parsed config.json) for sandbox mode. Errors start with "sandbox mode:"
// and name the field and the engine option that asked for it.
Result<SandboxRewrite> sandbox_config(nlohmann::json& config, const SandboxHost& host);

}  // namespace burrow::container
