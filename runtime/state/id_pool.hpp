// Host id ranges handed to containers one each (annotation run.burrow.userns=auto): 65536 uids
// and gids from a pool, never shared by two live containers, so that no two user-namespaced
// containers (e.g. two delegated dind containers) have the same owner on the host. The pool is
// the `burrow` entries of /etc/subuid and /etc/subgid, or a range given by --userns-pool.
// Leases are files in one registry for the whole host (not per --root: two engines with
// different state roots draw from the same pool), taken under an flock of the registry. A lease
// whose container directory is gone (a crash, an abandoned create) is free again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/error.hpp"

namespace burrow::state {

constexpr uint32_t kIdRangeSize = 65536;
inline constexpr const char* kIdLeaseRegistry = "/run/burrow-ids";

struct IdPool {
  uint32_t uid_start = 0;
  uint32_t gid_start = 0;
  uint32_t size = 0;  // ids in each; a multiple of kIdRangeSize
};

struct IdLease {
  uint32_t host_uid = 0;
  uint32_t host_gid = 0;
};

// "START:SIZE" (--userns-pool): the same ids for uids and gids.
Result<IdPool> parse_id_pool(const std::string& text);

// The first entry of `user` in the subuid and subgid files' text ("name:start:count" lines).
// Errors name the file and say what to add.
Result<IdPool> id_pool_from_subordinate(const std::string& user, const std::string& subuid_text,
                                        const std::string& subuid_file,
                                        const std::string& subgid_text,
                                        const std::string& subgid_file);

// Leases the first free range of `pool` to the container `id` of the state root `root`
// (absolute). A lease is a file in `registry` named after its host uid, holding root and id.
// EAGAIN naming the pool when every range is taken by a live container.
Result<IdLease> acquire_id_range(const std::string& registry, const IdPool& pool,
                                 const std::string& root, const std::string& id);

// Ends the lease of the range starting at host_uid if it is still the container's.
Status release_id_range(const std::string& registry, uint32_t host_uid, const std::string& root,
                        const std::string& id);

}  // namespace burrow::state
