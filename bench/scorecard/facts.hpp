// The scorecard's facts: what burrow-bench-probe observed inside a container, turned into rows
// of (fact, value, safe?, evidence). Pure: tested on recorded probe output.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace burrow::bench {

struct Fact {
  std::string id;        // stable key, e.g. "ns.user", "syscall.bpf", "read./proc/kcore"
  std::string group;     // namespaces, identity, capabilities, seccomp, syscalls, host-info,
                         // host-write, devices
  std::string title;     // what the row asks, for people
  std::string value;     // the answer in a word or two ("shared", "blocked (EPERM)", "41/41")
  bool safe = false;     // true when the answer is the isolating one
  std::string evidence;  // what the probe saw that gives the answer
};

// The host's side of the comparison: readlink(/proc/self/ns/TYPE) of burrow-bench.
using HostNamespaces = std::map<std::string, std::string>;
HostNamespaces read_host_namespaces();

// The facts of one probe report; a field the probe did not report becomes a fact whose value
// is "unknown" (not safe) with the reason as evidence.
std::vector<Fact> facts_from_probe(const nlohmann::json& probe, const HostNamespaces& host);

// Capability helpers, exposed for tests: the set bits of a /proc/self/status hex mask, and the
// names of the dangerous ones among them.
std::vector<int> capability_bits(const std::string& hex_mask);
std::string capability_name(int bit);

nlohmann::json to_json(const Fact& fact);

}  // namespace burrow::bench
