// The bundles the suites run: one shared read-only rootfs (static busybox and the scorecard
// probe) and config.json files made by a runtime's own `spec`, then edited.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "suites/session.hpp"

namespace burrow::bench {

inline constexpr const char* kProbePath = "/burrow-bench-probe";

// DIR with bin/busybox (+ sh, true, sleep, cat), the probe at /burrow-bench-probe, passwd and
// group, and the directories runtimes mount onto.
Status make_rootfs(const std::string& dir, const std::string& busybox, const std::string& probe);

// `<runtime> spec [extra...]` run in a scratch dir of the session; the config it wrote.
// With `as`, run by that user in a dir it owns.
Result<nlohmann::json> runtime_spec(Session& session, const Target& target,
                                    const std::vector<std::string>& extra = {},
                                    const RunAs* as = nullptr);

// The config edited to run `args` without a terminal on the shared rootfs (absolute path,
// read-only) with a tmpfs on /tmp.
nlohmann::json workload(nlohmann::json config, const std::string& rootfs,
                        const std::vector<std::string>& args);

// As Docker's --privileged: every capability the caller has (`capabilities`: the bits of
// burrow-bench's own bounding set) in every set but ambient, no seccomp, no AppArmor, no masked
// or read-only paths, no_new_privs off, every device allowed by the cgroup.
nlohmann::json privileged(nlohmann::json config, const std::vector<int>& capabilities);

// DIR/config.json.
Status write_bundle(const std::string& dir, const nlohmann::json& config);

}  // namespace burrow::bench
