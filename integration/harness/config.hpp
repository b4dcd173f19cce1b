// The base config.json every test starts from: runc's default shape (`runc spec`), running
// /probe with its report. Tests tweak a copy with a lambda.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace integration {

// A change to a config, applied to a copy of the base config.
using Tweak = std::function<void(nlohmann::json&)>;

// `rootfs` is written as an absolute root.path; `marker` is added to process.env as
// BURROW_TEST_ID=<marker> so leftover checks can find the test's processes on the host.
nlohmann::json base_config(const std::string& rootfs, const std::string& marker);

// "/probe" followed by `args`, e.g. probe_args({"exit", "3"}).
nlohmann::json probe_args(const std::vector<std::string>& args);

// profiles/NAME.json of the source tree laid over `config`, as `burrow spec --profile NAME` does
// (JSON merge patch); for another runtime, dind.json's leased id range becomes a fixed one.
void apply_profile(nlohmann::json& config, const std::string& name);

}  // namespace integration
