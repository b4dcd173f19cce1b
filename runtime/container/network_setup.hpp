// create's side of per-container networking (network/): the annotations checked against the
// namespace plan, the generated resolv.conf, and the helper started once the init is ready.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "container/namespace_plan.hpp"
#include "network/watcher.hpp"
#include "spec/model.hpp"

namespace burrow::container {

struct NetworkPlan {
  network::NetworkConfig config;
  // The generated resolv.conf as a detached bind mount (open_tree), which the init attaches in
  // place of spec.mounts[resolv_conf_index]: an init in a user namespace may not search the state
  // dir, and a path of another mount namespace cannot be bound. Invalid when the caller may not
  // clone mounts (rootless): that init's root is the caller, and it binds the file by path.
  Fd resolv_conf;
  size_t resolv_conf_index = 0;
};

// Reads the run.burrow.network* annotations. With a helper: the container must get a new network
// namespace, and unless the config mounts something at /etc/resolv.conf, a generated one
// (pointing at the helper's DNS forwarder) is written to the state dir and bind-mounted over
// the rootfs's (read-only; the rootfs itself is never written).
Result<NetworkPlan> plan_network(spec::Spec& spec, const NamespacePlan& plan,
                                 const std::string& rootfs, const std::string& state_dir);

// Starts the helper for a container whose init sent its namespaces; nullopt without a helper.
Result<std::optional<network::RunningNetwork>> start_container_network(
    const network::NetworkConfig& config, const std::map<std::string, Fd>& namespaces,
    int init_pidfd, const std::string& state_dir);

}  // namespace burrow::container
