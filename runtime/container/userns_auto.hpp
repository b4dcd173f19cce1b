// The annotation run.burrow.userns=auto: the container gets a user namespace with 65536 host ids
// of its own, leased from the host's pool (state/id_pool.hpp) at create and given back at
// delete. The dind profile asks for it, so no two delegated containers share a host owner (with
// one shared range, one container's root owned the other's delegated cgroups).
#pragma once

#include <optional>
#include <string>

#include "base/error.hpp"
#include "container/options.hpp"
#include "spec/model.hpp"
#include "state/id_pool.hpp"

namespace burrow::container {

inline constexpr const char* kUsernsAnnotation = "run.burrow.userns";

// The pool to lease from: --userns-pool, else the `burrow` entries of /etc/subuid and
// /etc/subgid.
Result<state::IdPool> host_id_pool(const GlobalOptions& global);

// With run.burrow.userns=auto: adds a user namespace when the config has none, leases a range
// for container `id` and writes it as linux.uidMappings/gidMappings (0 -> host start, 65536),
// both in `spec` and in the container's stored config (`stored_config`). Without the annotation:
// nothing (nullopt). Errors name the annotation and the field in the way.
Result<std::optional<state::IdLease>> lease_id_range(spec::Spec& spec, const GlobalOptions& global,
                                                     const std::string& id,
                                                     const std::string& stored_config);

// Gives back the range a container leased (no-op when it is no longer the container's).
Status return_id_range(const std::string& root, const std::string& id, uint32_t host_uid);

}  // namespace burrow::container
