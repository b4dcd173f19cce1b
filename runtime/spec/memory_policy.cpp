#include "spec/memory_policy.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>
#include <utility>

namespace burrow::spec {
namespace {

enum Mode : int {
  kDefault = 0,
  kPreferred = 1,
  kBind = 2,
  kInterleave = 3,
  kLocal = 4,
  kPreferredMany = 5,
  kWeightedInterleave = 6,
};

constexpr int kStaticNodes = 1 << 15;
constexpr int kRelativeNodes = 1 << 14;
constexpr int kNumaBalancing = 1 << 13;

constexpr std::array<std::pair<std::string_view, int>, 7> kModes{{
    {"MPOL_DEFAULT", kDefault},
    {"MPOL_PREFERRED", kPreferred},
    {"MPOL_BIND", kBind},
    {"MPOL_INTERLEAVE", kInterleave},
    {"MPOL_LOCAL", kLocal},
    {"MPOL_PREFERRED_MANY", kPreferredMany},
    {"MPOL_WEIGHTED_INTERLEAVE", kWeightedInterleave},
}};

constexpr std::array<std::pair<std::string_view, int>, 3> kFlags{{
    {"MPOL_F_STATIC_NODES", kStaticNodes},
    {"MPOL_F_RELATIVE_NODES", kRelativeNodes},
    {"MPOL_F_NUMA_BALANCING", kNumaBalancing},
}};

template <size_t N>
std::optional<int> lookup(const std::array<std::pair<std::string_view, int>, N>& table,
                          std::string_view name) {
  for (const auto& [known, value] : table) {
    if (known == name) return value;
  }
  return std::nullopt;
}

Result<unsigned> parse_node(std::string_view text) {
  unsigned node = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), node);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return Error::msg("\"" + std::string(text) + "\" is not a node number", EINVAL);
  if (node > kMaxNumaNode)
    return Error::msg("node " + std::to_string(node) + " is above " + std::to_string(kMaxNumaNode),
                      EINVAL);
  return node;
}

}  // namespace

std::optional<int> mempolicy_mode(std::string_view name) {
  return lookup(kModes, name);
}

std::optional<int> mempolicy_flag(std::string_view name) {
  return lookup(kFlags, name);
}

Result<std::vector<unsigned>> parse_node_list(std::string_view text) {
  std::vector<unsigned> nodes;
  if (text.empty()) return nodes;
  for (size_t start = 0;;) {
    size_t comma = text.find(',', start);
    std::string_view item =
        text.substr(start, comma == std::string_view::npos ? comma : comma - start);
    size_t dash = item.find('-');
    unsigned first = BURROW_TRY(parse_node(item.substr(0, dash)));
    unsigned last = first;
    if (dash != std::string_view::npos) {
      last = BURROW_TRY(parse_node(item.substr(dash + 1)));
      if (last < first) return Error::msg("range " + std::string(item) + " goes backwards", EINVAL);
    }
    for (unsigned node = first; node <= last; ++node) nodes.push_back(node);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  return nodes;
}

std::optional<std::string> mempolicy_rule_broken(int mode, int flags, size_t node_count) {
  const bool takes_no_nodes = mode == kDefault || mode == kLocal;
  const bool needs_nodes =
      mode == kBind || mode == kInterleave || mode == kPreferredMany || mode == kWeightedInterleave;
  if (takes_no_nodes && node_count != 0) return "the mode takes no nodes";
  if (needs_nodes && node_count == 0) return "the mode needs at least one node";
  if ((flags & kStaticNodes) && (flags & kRelativeNodes))
    return "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other";
  // MPOL_LOCAL, or MPOL_PREFERRED without nodes (which the kernel makes MPOL_LOCAL).
  const bool local = mode == kLocal || (mode == kPreferred && node_count == 0);
  if (local && (flags & (kStaticNodes | kRelativeNodes)))
    return "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES need nodes to apply to";
  if ((flags & kNumaBalancing) && mode != kBind && mode != kPreferredMany)
    return "MPOL_F_NUMA_BALANCING goes with MPOL_BIND or MPOL_PREFERRED_MANY only";
  return std::nullopt;
}

}  // namespace burrow::spec
