// linux.memoryPolicy (runtime-spec 1.3): the set_mempolicy(2) mode, flags and node list as
// config.json spells them. Pure: the parser keeps the strings, validation resolves them here, and
// linux/ turns them into the syscall's arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace burrow::spec {

// "MPOL_DEFAULT" -> 0 ... "MPOL_WEIGHTED_INTERLEAVE" -> 6 (uapi/linux/mempolicy.h; Debian 12's
// headers predate the last one, so the numbers live here).
std::optional<int> mempolicy_mode(std::string_view name);
// "MPOL_F_STATIC_NODES" -> 1 << 15, "MPOL_F_RELATIVE_NODES" -> 1 << 14,
// "MPOL_F_NUMA_BALANCING" -> 1 << 13.
std::optional<int> mempolicy_flag(std::string_view name);

// The highest node number a node list may name (the kernel's MAX_NUMNODES is at most 1 << 10).
inline constexpr unsigned kMaxNumaNode = 1023;

// "0-1,3" -> {0, 1, 3}: comma-separated node numbers and inclusive ranges, as the kernel prints
// them in Mems_allowed_list; "" -> {}. Sorted, without duplicates. Errors say what is wrong with
// the text ("range 3-1 goes backwards", "node 1024 is above 1023", ...).
Result<std::vector<unsigned>> parse_node_list(std::string_view text);

// The policy's rules the kernel would refuse with a bare EINVAL, checked up front (runc's and the
// kernel's): MPOL_DEFAULT and MPOL_LOCAL take no nodes; MPOL_BIND, MPOL_INTERLEAVE,
// MPOL_PREFERRED_MANY and MPOL_WEIGHTED_INTERLEAVE need at least one; MPOL_PREFERRED takes any
// number (none: local allocation). MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each
// other, and a local policy (MPOL_LOCAL, MPOL_PREFERRED without nodes) takes neither;
// MPOL_F_NUMA_BALANCING goes with MPOL_BIND and MPOL_PREFERRED_MANY only. The reason, or nullopt
// when the combination is valid.
std::optional<std::string> mempolicy_rule_broken(int mode, int flags, size_t node_count);

}  // namespace burrow::spec
