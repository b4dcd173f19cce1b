#include "container/namespace_plan.hpp"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "base/syscalls.hpp"
#include "container/userns_maps.hpp"
#include "linux/host_sysfs.hpp"
#include "linux/namespaces.hpp"

namespace burrow::container {
namespace {

// runc runs such a container: it makes the host's "/" rslave (a shared "/" loses its
// propagation) and mounts the rootfs bind, /proc, /dev, /sys and the cgroups in the host's mount
// namespace, where they stay after `delete`. A sandbox does not change the host's mounts.
Error mount_namespace_required() {
  return Error::msg(
      "config.json: linux.namespaces: a mount namespace is required: without one the "
      "container's mounts would be made in the host's mount namespace, change the propagation "
      "of the host's / and outlive the container",
      EINVAL);
}

}  // namespace

Result<NamespacePlan> plan_namespaces(const spec::Spec& spec) {
  NamespacePlan plan;
  int new_flags = 0;
  if (!spec.linux) return mount_namespace_required();
  const auto& namespaces = spec.linux->namespaces;
  for (size_t i = 0; i < namespaces.size(); ++i) {
    const spec::Namespace& ns = namespaces[i];
    std::string where = "config.json: linux.namespaces[" + std::to_string(i) + "]";
    if (ns.path.empty()) {
      new_flags |= linux::clone_flag(ns.type);
      continue;
    }
    Fd fd = BURROW_TRY_CTX(linux::open_namespace(ns.path, ns.type), where);
    if (ns.type == spec::NamespaceType::pid) {
      plan.joined_pid = std::move(fd);
    } else if (ns.type == spec::NamespaceType::user) {
      BURROW_TRY(check_joined_user_namespace(spec, fd.get()));
      // First: the namespaces made or joined after it are then owned by, or entered from, it.
      plan.joined.insert(plan.joined.begin(), {ns.type, ns.path, std::move(fd)});
      plan.joined_user = true;
    } else {
      plan.joined.push_back({ns.type, ns.path, std::move(fd)});
    }
  }
  if (!(new_flags & CLONE_NEWNS) && !spec.find_namespace(spec::NamespaceType::mount))
    return mount_namespace_required();
  plan.new_user = new_flags & CLONE_NEWUSER;
  plan.new_cgroup = new_flags & CLONE_NEWCGROUP;
  plan.new_network = new_flags & CLONE_NEWNET;
  plan.new_time = new_flags & CLONE_NEWTIME;
  if (spec.find_namespace(spec::NamespaceType::time) && ::access("/proc/self/timens_offsets", F_OK))
    return Error::msg(
        "config.json: linux.namespaces: time namespaces aren't enabled in the kernel");
  // A time namespace takes offsets only while no process is in it: never made at clone.
  int made = new_flags & ~(CLONE_NEWCGROUP | CLONE_NEWTIME);
  if ((plan.new_user && !plan.joined.empty()) || plan.joined_user)
    plan.unshare_flags = made;
  else
    plan.clone_flags = made;
  return plan;
}

namespace {

const process::JoinedNamespace* find_joined(const NamespacePlan& plan, spec::NamespaceType type) {
  for (const auto& ns : plan.joined)
    if (ns.type == type) return &ns;
  return nullptr;
}

}  // namespace

Result<bool> owns_network_namespace(const NamespacePlan& plan, bool runtime_in_user_namespace) {
  if (plan.new_network) return true;
  if (plan.new_user) return false;
  const process::JoinedNamespace* user = find_joined(plan, spec::NamespaceType::user);
  if (!user && !runtime_in_user_namespace) return true;
  Fd own_user;
  if (!user) own_user = BURROW_TRY(sys::open_path("/proc/self/ns/user", O_RDONLY));
  int user_fd = user ? user->fd.get() : own_user.get();
  const process::JoinedNamespace* net = find_joined(plan, spec::NamespaceType::network);
  Fd own_net;
  if (!net) own_net = BURROW_TRY(sys::open_path("/proc/self/ns/net", O_RDONLY));
  return linux::user_namespace_owns_network(user_fd, net ? net->fd.get() : own_net.get());
}

}  // namespace burrow::container
