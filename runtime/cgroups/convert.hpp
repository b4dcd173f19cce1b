// The value conversions between the OCI resources (written with cgroup v1 in mind) and the files
// of cgroup v1 and v2, as runc and crun do them, so one config.json gives the same limits on
// every runtime.
#pragma once

#include <cstdint>
#include <string>

#include "base/error.hpp"

namespace burrow::cgroups::convert {

// cpu.shares [2, 262144] (default 1024) -> cpu.weight [1, 10000] (default 100): the quadratic
// in log2 space of runc >= 1.3 and crun >= 1.23 (fits 2 -> 1, 1024 -> 100, 262144 -> 10000).
// 0 stays 0 ("unset").
uint64_t cpu_shares_to_weight(uint64_t shares);

// OCI memory.swap is memory+swap; memory.swap.max is swap alone. runc's rules and wording:
// -1 means unlimited; 0 means unset; swap < memory is refused. `memory` is the memory limit the
// cgroup gets (-1 unlimited, 0 unknown).
Result<int64_t> memory_swap_to_v2(int64_t swap, int64_t memory);

// blkio.weight [10, 1000] -> io.weight [1, 10000], linearly (0 stays 0).
uint64_t blkio_weight_to_io_weight(uint64_t weight);

// A v2 limit file value: -1 -> "max", else the number.
std::string v2_limit(int64_t value);

// pids.max for linux.resources.pids.limit, as runc writes it: > 0 the number, 0 -> "1" (systemd
// cannot set 0 and the drivers agree), < 0 -> "max".
std::string pids_max(int64_t limit);

}  // namespace burrow::cgroups::convert
