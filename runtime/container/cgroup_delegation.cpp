#include "container/cgroup_delegation.hpp"

#include <optional>
#include <string>

#include "container/userns_maps.hpp"

namespace burrow::container {
namespace {

std::string requested() {
  return std::string("annotation ") + cgroups::kDelegateAnnotation + "=true";
}

std::optional<uint32_t> host_id_of_zero(const std::vector<spec::IdMapping>& mappings) {
  for (const auto& m : mappings) {
    if (m.container_id == 0 && m.size > 0) return m.host_id;
  }
  return std::nullopt;
}

// The host id 0 covered by a mapping: that container id is host root, owns the limit files and
// could raise them in a writable tree.
std::optional<uint32_t> container_id_of_host_root(const std::vector<spec::IdMapping>& mappings) {
  for (const auto& m : mappings) {
    if (m.host_id == 0 && m.size > 0) return m.container_id;
  }
  return std::nullopt;
}

}  // namespace

Result<bool> plan_cgroup_delegation(spec::Spec& spec, bool rootless) {
  if (!BURROW_TRY(cgroups::delegation_requested(spec.annotations))) return false;
  if (rootless)
    return Error::msg(requested() + ": a rootless container has no cgroup of its own to delegate",
                      EINVAL);
  if (!spec.linux) return true;  // plan_namespaces refuses a config without linux
  // Without a user namespace the container's root is the host's root: a writable cgroup tree
  // would let it raise its own limits. An orchestrator passes pod annotations through, so this
  // is refused, not warned about.
  if (!spec.find_namespace(spec::NamespaceType::user))
    return Error::msg(requested() +
                          ": needs a user namespace (linux.namespaces has none): without one the "
                          "container's root is the host's root and could raise its own limits",
                      EINVAL);
  const spec::Namespace* cgroup = spec.find_namespace(spec::NamespaceType::cgroup);
  if (cgroup && !cgroup->path.empty())
    return Error::msg(
        requested() + ": needs a new cgroup namespace, but linux.namespaces joins " + cgroup->path,
        EINVAL);
  if (!cgroup) spec.linux->namespaces.push_back(spec::Namespace{spec::NamespaceType::cgroup, ""});
  return true;
}

Result<cgroups::Owner> delegation_owner(const spec::Spec& spec, const NamespacePlan& plan) {
  std::vector<spec::IdMapping> uids, gids;
  if (plan.joined_user) {
    for (const auto& ns : plan.joined) {
      if (ns.type != spec::NamespaceType::user) continue;
      UserNamespaceMaps maps = BURROW_TRY_CTX(read_user_namespace_maps(ns.fd.get()), requested());
      uids = std::move(maps.uid);
      gids = std::move(maps.gid);
    }
  } else if (plan.new_user) {
    uids = spec.linux->uid_mappings;
    gids = spec.linux->gid_mappings;
  } else {
    return cgroups::Owner{0, 0};
  }
  for (const auto* kind : {&uids, &gids}) {
    if (auto id = container_id_of_host_root(*kind)) {
      const char* name = kind == &uids ? "uid" : "gid";
      return Error::msg(requested() + ": the user namespace maps container " + name + " " +
                            std::to_string(*id) + " to host " + name +
                            " 0: that is the host's root, which owns the cgroup limits",
                        EINVAL);
    }
  }
  auto uid = host_id_of_zero(uids);
  auto gid = host_id_of_zero(gids);
  if (!uid || !gid)
    return Error::msg(requested() +
                          ": the subtree goes to the container's root, which the user namespace "
                          "does not map (no " +
                          (uid ? "gid" : "uid") + " 0 in its " + (uid ? "gid" : "uid") + " map)",
                      EINVAL);
  return cgroups::Owner{*uid, *gid};
}

}  // namespace burrow::container
