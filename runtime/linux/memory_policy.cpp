#include "linux/memory_policy.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <vector>

#include "spec/memory_policy.hpp"

namespace burrow::linux {

Status set_memory_policy(const spec::MemoryPolicy& policy) {
  auto mode = spec::mempolicy_mode(policy.mode);
  if (!mode) return Error::msg("unknown memory policy mode \"" + policy.mode + "\"", EINVAL);
  int flags = 0;
  for (const auto& name : policy.flags) {
    auto flag = spec::mempolicy_flag(name);
    if (!flag) return Error::msg("unknown memory policy flag \"" + name + "\"", EINVAL);
    flags |= *flag;
  }
  std::vector<unsigned> nodes = BURROW_TRY(spec::parse_node_list(policy.nodes));
  constexpr unsigned kBits = sizeof(unsigned long) * CHAR_BIT;
  std::vector<unsigned long> mask(spec::kMaxNumaNode / kBits + 1, 0);
  for (unsigned node : nodes) mask[node / kBits] |= 1UL << (node % kBits);
  // maxnode counts one more than the bits the kernel reads (its historical off-by-one).
  unsigned long maxnode = mask.size() * kBits + 1;
  if (::syscall(SYS_set_mempolicy, *mode | flags, nodes.empty() ? nullptr : mask.data(),
                nodes.empty() ? 0 : maxnode) < 0) {
    std::string where = policy.nodes.empty() ? "" : " on nodes " + policy.nodes;
    return Error::from_errno("set_mempolicy " + policy.mode + where);
  }
  return {};
}

}  // namespace burrow::linux
