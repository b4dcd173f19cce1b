// Rootless mode: burrow run by an unprivileged user. The decisions that differ from root mode
// live here as small pure functions (unit-tested): whether we are rootless, where the state
// lives, and what happens to cgroup limits without a delegated cgroup.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "cgroups/layout.hpp"
#include "container/cgroup_ops.hpp"
#include "container/options.hpp"
#include "spec/model.hpp"

namespace burrow::container {

// --rootless auto: rootless when the effective uid is not 0. --rootless true as root runs the
// root-mode checks of a rootless runtime (user namespace required, no cgroup). --rootless false
// as non-root is refused: an unprivileged caller cannot do what root mode does.
Result<bool> resolve_rootless(RootlessMode mode, uid_t euid);

// The default --root: /run/burrow as root; rootless, $XDG_RUNTIME_DIR/burrow, or /tmp/burrow-<uid>
// when XDG_RUNTIME_DIR is unset or empty. `user_namespace_root`: root of a user namespace made
// for an unprivileged user (USER not "root"), whose $XDG_RUNTIME_DIR is honoured as runc does.
std::string default_state_root(bool rootless, uid_t euid, const char* xdg_runtime_dir,
                               bool user_namespace_root = false);

// /proc/self/uid_map text of the host's (initial) user namespace: the whole id range mapped
// onto itself.
bool is_initial_uid_map(const std::string& uid_map);
// Whether we run in a user namespace other than the host's.
bool running_in_user_namespace();

// A rootless state root must be ours: an existing one owned by another user (say, made in /tmp
// by someone else first) or a symlink is refused.
Status check_rootless_state_root(const std::string& root, uid_t euid);

// The cgroup of a rootless container: with a delegated cgroup (writable by us) every limit can
// be applied; without one, none can, and a config that asks for limits is refused naming the
// first one (never dropped silently). Device rules (linux.resources.devices) are not limits:
// rootless they are skipped, as runc does (the host's device nodes are bind-mounted and the
// user namespace denies mknod anyway).
Status check_rootless_cgroup_limits(const spec::Spec& spec, bool delegated_cgroup);

// The container's cgroups: as root, CgroupPlacement::create, handing the subtree to
// `delegate_to` when asked (plan_cgroup_delegation refuses it without cgroups). Rootless and not
// root (euid != 0) with an absolute linux.cgroupsPath: place_in_delegated_subtree. Otherwise
// rootless (and always as root of a user namespace) none is made: a config asking for limits is
// refused, device rules and linux.cgroupsPath are skipped with a debug log.
Result<CgroupPlacement> place_cgroups(const spec::Spec& spec, const std::string& id, bool rootless,
                                      bool in_user_namespace,
                                      const std::optional<cgroups::Owner>& delegate_to,
                                      const CgroupRecorder& record = {});

// Rootless with an absolute linux.cgroupsPath: the container's cgroup in every hierarchy where
// its parent dir is ours to write (delegated_hierarchies), limits applied, no device rules.
// CgroupPlacement::none() when no hierarchy is writable and no limit is asked for.
Result<CgroupPlacement> place_in_delegated_subtree(const spec::Spec& spec, const std::string& id,
                                                   const CgroupRecorder& record = {});

// A limit the spec asks for: its OCI field and the v1 controller it writes ("" for
// linux.resources.unified, which only the cgroup2 takes).
struct CgroupLimit {
  std::string field;
  std::string controller;
};
std::vector<CgroupLimit> requested_cgroup_limits(const spec::Resources& resources);

// The hierarchies (mount points) the rootless container's cgroup `inner` (absolute) goes into:
// those where its parent dir is `writable` by us. A hierarchy that is not, but that a requested
// limit writes into, is an error naming the limit and the dir (never a dropped limit); the others
// are skipped with a debug log, as runc's rootless manager ignores EPERM there. On a cgroup2 the
// common ancestor of burrow's own cgroup and the container's must be writable too (the kernel
// asks for it to move a process between them).
Result<std::vector<std::string>> delegated_hierarchies(
    const cgroups::Layout& layout, const std::string& inner, const spec::Resources& resources,
    uid_t euid, const std::function<bool(const std::string&)>& writable);

// Without a cgroup of its own, the container's cgroup mounts show the cgroups it is in: the
// caller's (hierarchy mount point -> the caller's dir there), bound read-only like a container
// cgroup. Never saved in state.json: delete must not remove the caller's cgroups.
Result<std::map<std::string, std::string>> caller_cgroup_dirs();

// The first cgroup limit `resources` asks for ("linux.resources.memory", ...), empty for none.
std::string first_cgroup_limit(const spec::Resources& resources);

}  // namespace burrow::container
