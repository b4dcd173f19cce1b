// create's side of cgroup delegation (cgroups/delegation.hpp, README.md "Cgroup delegation"):
// the annotation checked against the config, the cgroup namespace it needs, and the host ids
// that get the subtree.
#pragma once

#include "base/error.hpp"
#include "cgroups/delegation.hpp"
#include "container/namespace_plan.hpp"
#include "spec/model.hpp"

namespace burrow::container {

// Reads run.burrow.cgroup.delegate. When true, the container gets a new cgroup namespace (added
// to linux.namespaces when it lists none), so that its cgroup mount and /proc/self/cgroup are
// rooted at its own cgroup. Refused: a cgroup namespace joined by path (rooted elsewhere), and
// rootless (no cgroup of its own to hand over).
Result<bool> plan_cgroup_delegation(spec::Spec& spec, bool rootless);

// Who gets the subtree: the host ids the container's uid and gid 0 map to (a new user
// namespace: linux.uidMappings/gidMappings; one joined by path: its maps), or 0:0 without a user
// namespace (the container's root is the host's). An unmapped 0 is refused.
Result<cgroups::Owner> delegation_owner(const spec::Spec& spec, const NamespacePlan& plan);

}  // namespace burrow::container
