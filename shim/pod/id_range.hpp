// The host ids a job's pod user namespace maps to: 65536 of them, container id 0 at `host_uid`.
// As root each concurrent job takes a range of its own (a slot), so the root of one job is
// never the owner of another job's files or processes; the slot is held by an flock for as long
// as the job runs and comes free by itself when the shim dies.
#pragma once

#include <cstdint>
#include <string>

#include "base/error.hpp"
#include "base/fd.hpp"

namespace burrow::shim::pod {

struct IdRange {
  uint32_t host_uid = 0;
  uint32_t host_gid = 0;
  uint32_t size = 0;
};

// Root's slots: slot k maps container ids 0..65535 to kSlotBase + k * 65536 + (0..65535).
// kSlotBase (2^30) lies far above the ids distributions hand out to users and to /etc/subuid
// (useradd starts subordinate ranges at 100000), so no real account owns them.
inline constexpr uint32_t kSlotBase = 1u << 30;
inline constexpr uint32_t kSlotSize = 65536;
inline constexpr uint32_t kSlotCount = 4096;
// Where root's slots are locked: one registry for the host, whatever scratch root a job uses
// (per scratch root, two concurrent jobs with different --scratch took the same range).
inline constexpr const char* kSlotLockDir = "/run/burrow-shim/id-slots";

class IdSlot {
 public:
  // Takes the first free slot, locking `<lock_dir>/<k>`.
  static Result<IdSlot> acquire(const std::string& lock_dir);
  const IdRange& range() const { return range_; }
  uint32_t index() const { return index_; }

 private:
  IdSlot(Fd lock, uint32_t index, IdRange range)
      : lock_(std::move(lock)), index_(index), range_(range) {}
  Fd lock_;
  uint32_t index_ = 0;
  IdRange range_;
};

// The first subordinate range of at least `size` ids that /etc/subuid and /etc/subgid (the files
// given) grant `user` (a name or a numeric uid), for a rootless caller (mapped by newuidmap).
Result<IdRange> subordinate_range(const std::string& user, uint32_t uid,
                                  const std::string& subuid_file, const std::string& subgid_file,
                                  uint32_t size);

}  // namespace burrow::shim::pod
