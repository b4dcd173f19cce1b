#include "linux/mount_plan.hpp"

#include <sys/mount.h>

#include <algorithm>

#include "linux/host_sysfs.hpp"
#include "linux/lsm.hpp"
#include "linux/rootfs_path.hpp"

namespace burrow::linux {
namespace {

constexpr unsigned long kBindFlags = MS_BIND | MS_REC;
constexpr unsigned long kHostSysfsFlags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;

bool has_namespace(const spec::Spec& spec, spec::NamespaceType type) {
  if (!spec.linux) return false;
  return std::any_of(spec.linux->namespaces.begin(), spec.linux->namespaces.end(),
                     [type](const spec::Namespace& ns) { return ns.type == type; });
}

MountStep bind_step(MountStep step, const MountOptions& options) {
  step.kind = MountKind::bind;
  step.flags = options.flags & kBindFlags;
  if (step.flags == 0) step.flags = MS_BIND;  // type "bind" without a bind option
  // Everything but the bind itself needs the second, remounting call.
  step.remount_flags = options.flags & ~(kBindFlags | MS_REMOUNT);
  step.data.clear();  // a bind takes no filesystem data
  return step;
}

const MountStep* find_step(const std::vector<MountStep>& steps, const char* destination) {
  for (auto it = steps.rbegin(); it != steps.rend(); ++it)
    if (it->destination == destination) return &*it;
  return nullptr;
}

// A read-only /dev filesystem would refuse the device nodes and the /dev/pts and /dev/shm
// mount points: it is mounted writable and made read-only at the end (runc). A bound /dev gets
// nothing made in it and is read-only from the start.
void defer_readonly_dev(std::vector<MountStep>& steps, MountPlan& plan) {
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    if (it->destination != "/dev") continue;
    if (it->kind != MountKind::filesystem || !(it->flags & MS_RDONLY)) return;
    it->flags &= ~static_cast<unsigned long>(MS_RDONLY);
    plan.readonly_dev = true;
    return;
  }
}

Status plan_root_propagation(const RootfsConfig& config, MountPlan& plan) {
  plan.root_propagation = MS_REC | MS_SLAVE;
  if (config.rootfs_propagation.empty()) return {};
  unsigned long flags = propagation_flags(config.rootfs_propagation);
  if (flags == 0)
    return Error::msg("unknown rootfsPropagation \"" + config.rootfs_propagation + "\"", EINVAL);
  plan.root_propagation = flags;
  if (flags & (MS_SHARED | MS_UNBINDABLE)) plan.final_root_propagation = flags;
  return {};
}

}  // namespace

RootfsConfig rootfs_config_from_spec(const spec::Spec& spec, std::string rootfs) {
  RootfsConfig config;
  config.rootfs = std::move(rootfs);
  config.in_user_namespace = has_namespace(spec, spec::NamespaceType::user);
  config.has_cgroup_namespace = has_namespace(spec, spec::NamespaceType::cgroup);
  // sysfs needs a network namespace owned by the container's user namespace: a new one surely.
  // Whether a joined one is, only the parent can tell (NS_GET_USERNS); it overrides this.
  const spec::Namespace* net = spec.find_namespace(spec::NamespaceType::network);
  config.owns_network_namespace = net && net->path.empty();
  config.readonly_root = spec.root.readonly;
  if (spec.linux) {
    config.masked_paths = spec.linux->masked_paths;
    config.readonly_paths = spec.linux->readonly_paths;
    config.rootfs_propagation = spec.linux->rootfs_propagation;
    config.mount_label = spec.linux->mount_label;
  }
  return config;
}

Result<MountStep> plan_mount(const spec::Mount& mount, const RootfsConfig& config) {
  if (mount.destination.empty()) return Error::msg("mount: empty destination", EINVAL);
  MountOptions options = parse_mount_options(mount.options);
  MountStep step;
  step.destination = clean_container_path(mount.destination);
  step.source = mount.source;
  step.type = mount.type;
  step.flags = options.flags;
  step.propagation = options.propagation;
  step.recursive = options.recursive;
  step.data = options.data;
  if (mount.type == "bind" || (options.flags & MS_BIND)) return bind_step(step, options);
  if (mount.type == "sysfs" && sysfs_from_host(config)) {
    // A user namespace may not mount a sysfs whose network view it does not own (runc fails).
    // The parent's non-recursive clone of the host's /sys is attached instead; a runtime in a
    // user namespace (no such clone: its /sys has locked children) binds recursively what its
    // user sees. Read-only and the rest, whatever the options say: it is the host's.
    step.source = "/sys";
    options.flags |= kBindFlags | kHostSysfsFlags;
    return bind_step(step, options);
  }
  if (mount.type == "cgroup" || mount.type == "cgroup2") {
    step.kind = MountKind::cgroup;
    // As runc: read-only only when the options say `ro`. dockerd sends a privileged container's
    // cgroup mount with neither `ro` nor `rw`, and docker:dind then makes its own cgroups there.
    if (config.delegated_cgroup) step.flags &= ~static_cast<unsigned long>(MS_RDONLY);
    return step;
  }
  // As runc, proc, sysfs and mqueue get no context= (runc labels mqueue's root after mounting
  // it; burrow does not yet).
  if (mount.type != "proc" && mount.type != "sysfs" && mount.type != "mqueue")
    step.data = with_mount_label(step.data, config.mount_label);
  return step;
}

Result<MountPlan> plan_mounts(const spec::Spec& spec, const RootfsConfig& config) {
  MountPlan plan;
  BURROW_TRY(plan_root_propagation(config, plan));
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    const spec::Mount& mount = spec.mounts[i];
    MountStep step = BURROW_TRY_CTX(plan_mount(mount, config), mount.destination);
    // Or a bind the parent prepared as a detached mount (a source opened from the host side,
    // burrow's generated resolv.conf).
    if (mount.is_idmapped() || config.detached_mount_fds.count(i)) step.detached_mount = i;
    step.field = "mounts[" + std::to_string(i) + "]";
    plan.steps.push_back(std::move(step));
  }
  defer_readonly_dev(plan.steps, plan);
  const MountStep* dev = find_step(plan.steps, "/dev");
  bool dev_tmpfs = dev && dev->kind == MountKind::filesystem && dev->type == "tmpfs";
  bool dev_bound = dev && dev->kind == MountKind::bind;
  const MountStep* pts = find_step(plan.steps, "/dev/pts");
  bool devpts = pts && pts->kind == MountKind::filesystem && pts->type == "devpts";
  // A /dev bound from elsewhere already has its nodes; a tmpfs /dev gets the defaults.
  if (!dev_bound) {
    static const std::vector<spec::Device> kNone;
    const auto& devices = spec.linux ? spec.linux->devices : kNone;
    plan.devices = BURROW_TRY(plan_devices(devices, dev_tmpfs));
  }
  if (dev_tmpfs) plan.dev_symlinks = default_dev_symlinks(devpts);
  // A /dev/ptmx node in linux.devices (dockerd lists one for --privileged) gives way to the
  // symlink into the container's devpts, as in runc; made first, it was replaced anyway, and in
  // a user namespace, bound from the host, it could not be (EBUSY).
  for (const auto& link : plan.dev_symlinks)
    std::erase_if(plan.devices, [&](const DeviceNode& node) { return node.path == link.path; });
  return plan;
}

}  // namespace burrow::linux
