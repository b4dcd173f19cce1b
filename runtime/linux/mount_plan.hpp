// The container's mounts as an ordered plan: spec.mounts turned into steps with resolved MS_*
// flags, propagation changes and recursive attributes, plus the device nodes and /dev symlinks
// to create. Pure: built and unit-tested without root; rootfs.hpp applies it in the child.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "linux/devices.hpp"
#include "linux/mount_options.hpp"
#include "spec/model.hpp"

namespace burrow::linux {

// What the rootfs code needs to know besides spec.mounts.
// Names on the parent's staging dir (process/init.hpp, InitConfig::staging_dir).
inline constexpr const char* kStagedRootfs = "rootfs";
inline constexpr const char* kStagedSysfs = "sys";

struct RootfsConfig {
  std::string rootfs;     // absolute host path of the root filesystem
  bool no_pivot = false;  // MS_MOVE + chroot instead of pivot_root (ramfs roots)
  bool in_user_namespace = false;
  bool has_cgroup_namespace = false;
  // The user namespace owns the network namespace (a new one; or, as the parent finds out, a
  // joined one it owns): sysfs may be mounted. Else sysfs comes from the host (host_sysfs.hpp).
  bool owns_network_namespace = false;
  // Host hierarchy mount point ("/sys/fs/cgroup/cpu", "/sys/fs/cgroup" on pure v2) -> absolute
  // host path of the container's cgroup in it. Bound in when there is no cgroup namespace.
  std::map<std::string, std::string> cgroup_dirs;
  // run.burrow.cgroup.delegate: the cgroup hierarchies are mounted writable whatever the mount's
  // options say (the container's cgroups belong to its root; the limit files do not).
  bool delegated_cgroup = false;
  std::vector<std::string> masked_paths;
  std::vector<std::string> readonly_paths;
  bool readonly_root = false;
  std::string rootfs_propagation;  // linux.rootfsPropagation, "" = rslave (runc's default)
  std::string mount_label;         // linux.mountLabel: SELinux context= of filesystem mounts
  // spec.mounts index -> detached mount prepared by the parent: an idmapped bind
  // (idmapped_mount.hpp), a bind source opened from the host (bind_sources.hpp), the generated
  // resolv.conf; not owned here.
  std::map<size_t, int> detached_mount_fds;
  // The parent's idmapped clone of the rootfs (run.burrow.userns=auto), attached at `rootfs`
  // instead of binding the rootfs onto itself; -1: none. Not owned here.
  int idmapped_rootfs_fd = -1;
  // The parent staged the rootfs on its mount detour (mount_detour.hpp): already mounted (and
  // idmapped where it could be) on kStagedRootfs in this directory, an O_PATH fd the init opened
  // from its cwd. The rootfs is then looked up through it, never by `rootfs` (the staged path,
  // for messages and mountinfo only): in a user namespace the container's root may not be able
  // to search the path's ancestors. -1: not staged.
  int staging_dir_fd = -1;
};

// Fills everything derivable from the spec (namespaces, masked/readonly paths, root.readonly,
// rootfsPropagation); the caller adds no_pivot, cgroup_dirs and delegated_cgroup.
RootfsConfig rootfs_config_from_spec(const spec::Spec& spec, std::string rootfs);

enum class MountKind {
  filesystem,  // mount(source, dest, type, flags, data)
  bind,        // mount(source, dest, MS_BIND[|MS_REC]); then remount_flags if any
  cgroup,      // expanded when applied, from the host's hierarchies (mount_cgroup.hpp)
  remount,     // change an existing mount at dest: remount_flags, propagation, recursive
  symlink,     // symlink dest -> source (cgroup v1 comounts: cpu -> cpu,cpuacct)
};

struct MountStep {
  MountKind kind = MountKind::filesystem;
  std::string destination;  // inside the container, clean and absolute
  std::string source;
  std::string type;
  unsigned long flags = 0;                 // the first mount(2) call's flags
  unsigned long remount_flags = 0;         // bind/remount: flags for MS_BIND|MS_REMOUNT; 0 = none
  std::vector<unsigned long> propagation;  // each applied by its own mount(2), in order
  MountAttrChange recursive;               // mount_setattr(AT_RECURSIVE) after the mount
  std::string data;
  // A bind attached from the parent's prepared detached mount for this spec.mounts index
  // (RootfsConfig::detached_mount_fds) instead of a clone of `source`.
  std::optional<size_t> detached_mount;
  // The config.json entry the step comes from ("mounts[3]"), for errors about its destination;
  // empty for the runtime's own steps.
  std::string field;
  bool operator==(const MountStep&) const = default;
};

struct MountPlan {
  std::vector<MountStep> steps;
  std::vector<DeviceNode> devices;  // created after the mounts
  std::vector<DevSymlink> dev_symlinks;
  // mount(NULL, "/", NULL, root_propagation) before anything else: MS_REC|MS_SLAVE unless the
  // spec's rootfsPropagation says otherwise.
  unsigned long root_propagation = 0;
  // Applied to the new "/" at the very end when rootfsPropagation is a shared or unbindable
  // kind (as runc does); 0 otherwise.
  unsigned long final_root_propagation = 0;
  // A /dev filesystem asked for `ro`: mounted writable so its nodes, links and submounts can be
  // made in it, then made read-only by finish_rootfs (as runc does).
  bool readonly_dev = false;
};

// Errors: empty destination, unknown rootfsPropagation, bad device entries.
Result<MountPlan> plan_mounts(const spec::Spec& spec, const RootfsConfig& config);

// One spec mount as a step (no cgroup expansion).
Result<MountStep> plan_mount(const spec::Mount& mount, const RootfsConfig& config);

}  // namespace burrow::linux
