// The rootless tier's fixture: like ContainerTest, but run by an unprivileged user (ctest runs
// this binary as burrow-test through as-test-user) with a config shaped like runc's
// `spec --rootless`: a user namespace mapping the caller, no network namespace, /sys bound.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/command.hpp"

namespace integration {

// A subordinate id range of the caller from /etc/subuid or /etc/subgid.
struct SubordinateRange {
  uint32_t start = 0;
  uint32_t count = 0;
};
std::optional<SubordinateRange> subordinate_range(const std::string& file, const std::string& user,
                                                  uid_t id);

// base_config made rootless the way runc's ToRootless does it.
nlohmann::json rootless_config(const std::string& rootfs, const std::string& marker);

class RootlessTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // `<runtime> --root <state root> args...`; with an empty state root, no --root (the default).
  CommandResult runtime(const std::vector<std::string>& args);
  CommandResult runtime_at(const std::string& root, const std::vector<std::string>& args);
  void write_config(const nlohmann::json& config);

  // Skips the test unless newuidmap/newgidmap exist and the caller has subordinate ranges;
  // fills uid_range_/gid_range_.
  bool have_subordinate_ranges(std::string* why_not);

  std::string id_;
  std::string work_;
  std::string bundle_;
  std::string state_root_;
  std::string rootfs_;
  SubordinateRange uid_range_, gid_range_;
  std::vector<std::string> default_root_ids_;  // containers made under the default --root
};

}  // namespace integration
