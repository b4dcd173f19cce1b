// Which namespaces the init makes at clone, which it joins, which it makes after joining.
#pragma once

#include <vector>

#include "base/error.hpp"
#include "process/init.hpp"
#include "spec/model.hpp"

namespace burrow::container {

struct NamespacePlan {
  int clone_flags = 0;    // made by clone3
  int unshare_flags = 0;  // made by the child after joining (a user namespace must come after)
  bool new_user = false;
  bool joined_user = false;  // then first in `joined`, and nothing is made at clone
  bool new_cgroup = false;   // always unshared by the child, once placed in its cgroups
  bool new_network = false;
  bool new_time = false;  // unshared by the child, which writes the offsets, then enters it
  std::vector<process::JoinedNamespace> joined;  // joined by the child
  Fd joined_pid;                                 // joined by the parent before clone3
};

// Opens (and checks) every namespace joined by path. Joined namespaces owned by the host must be
// entered before a new user namespace exists, so then nothing is made at clone: the child joins,
// unshares the user namespace, gets its maps, unshares the rest and forks into the pid namespace.
// A joined user namespace is entered first (it has its maps already); the namespaces made after
// it are owned by it.
Result<NamespacePlan> plan_namespaces(const spec::Spec& spec);

// Whether the container's user namespace owns its network namespace, so that its root may mount
// sysfs: a new network namespace, or one joined whose owner (NS_GET_USERNS) is the joined user
// namespace; without a user namespace in the config, the runtime's own (runtime_in_user_namespace).
// A new user namespace owns no network namespace it did not make. Without any user namespace the
// answer is yes (the runtime's root mounts sysfs wherever it likes).
Result<bool> owns_network_namespace(const NamespacePlan& plan, bool runtime_in_user_namespace);

}  // namespace burrow::container
