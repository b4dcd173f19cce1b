// The container init: what runs in the cloned child from clone3 until execve of the user's
// process. One straight line of named steps (DESIGN.md, "Process model"). Every failure is sent
// to the parent as an `error` message naming the step, then the child exits; it never returns
// into the parent's frames.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/fd.hpp"
#include "linux/capabilities.hpp"
#include "process/step_tracker.hpp"
#include "process/sync_channel.hpp"
#include "seccomp/filter.hpp"
#include "spec/model.hpp"

namespace burrow::process {

struct JoinedNamespace {
  spec::NamespaceType type;
  std::string path;
  Fd fd;  // opened (and checked to be of this kind) by the parent
};

// Prepared by the parent before clone3. The child runs on a copy of the parent's memory, so it
// reads this directly; nothing is serialized.
struct InitConfig {
  const spec::Spec* spec = nullptr;
  std::string rootfs;  // absolute host path
  std::string id;      // names the session keyring
  std::string bundle;  // absolute; for the state hooks get
  bool no_pivot = false;
  bool no_new_keyring = false;
  unsigned preserve_fds = 0;
  // O_PATH fd of the host's exec.fifo, opened by the parent: in a new user namespace the init may
  // not search the state directory. Reopened for writing through /proc/self/fd.
  int exec_fifo_fd = -1;
  std::vector<JoinedNamespace> joined;  // setns'd by the child, in order (pid: by the parent)
  int unshare_flags = 0;  // new namespaces the child makes after joining (not made at clone)
  bool in_user_namespace = false;  // made or joined: the init becomes its root
  // The runtime itself runs in a non-initial user namespace: mounts it inherited are locked and
  // device nodes cannot be made, as in a container's own user namespace.
  bool runtime_in_user_namespace = false;
  bool new_cgroup_namespace = false;  // unshared after the parent placed us in every hierarchy
  bool new_network_namespace = false;
  // The container's user namespace (or the runtime's) owns its network namespace: sysfs may be
  // mounted. Else the host's /sys is bound (linux/host_sysfs.hpp). Found by the parent.
  bool owns_network_namespace = false;
  bool new_time_namespace = false;  // unshared by the init, offsets written, then entered
  std::map<std::string, std::string> cgroup_dirs;  // hierarchy mount point -> our cgroup dir
  bool delegated_cgroup = false;  // run.burrow.cgroup.delegate: the cgroup mount is writable
  // spec.mounts index -> detached mount (O_CLOEXEC) the parent prepared: an idmapped bind, a bind
  // source opened from the host side, the generated resolv.conf; owned by the parent. The init
  // attaches each at its turn in the mount plan.
  std::map<size_t, int> detached_mount_fds;
  int idmapped_rootfs_fd = -1;  // linux::RootfsConfig::idmapped_rootfs_fd
  // The parent's mount detour (linux/mount_detour.hpp) left the init's cwd on a staging dir,
  // whose path this is (empty: no detour). On it, mounted, may be:
  //  - the rootfs (`staged_rootfs`): in a user namespace whose root could not search the
  //    rootfs path's ancestors; linux::kStagedRootfs;
  //  - the host's /sys with locked masks (linux/host_sysfs.hpp) for these spec.mounts indexes;
  //    linux::kStagedSysfs. The init clones it, recursively, for each.
  // Found through the cwd the kernel carried into the init's copy of the detour's namespace,
  // before the init changes directory.
  std::string staging_dir;
  bool staged_rootfs = false;
  std::vector<size_t> staged_sysfs_mounts;
  linux::CapabilitySet capabilities;
  // Compiled by the parent from linux.seccomp; null without one.
  const seccomp::Filter* seccomp_filter = nullptr;
  const StepTracker* steps = nullptr;
  // Rootless: the parent's id map writers (newuidmap, or its own write) must be able to open
  // /proc/<pid>/*_map, which a non-dumpable process's owner cannot. The init stays dumpable until
  // its maps are written, and becomes so again only while it waits for a later map write.
  bool dumpable_for_id_maps = false;
};

// Runs the init's steps; never returns. On success it ends in execve of process.args.
[[noreturn]] void run_init(const InitConfig& config, const SyncChannel& channel);

}  // namespace burrow::process
