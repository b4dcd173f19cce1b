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
// `config` with the process replaced by `/probe sleep 100`.
nlohmann::json sleeping(nlohmann::json config);

// The real uid (or, with field "Gid:", gid) of host process `pid` as /proc/<pid>/status shows
// it to the caller; -1 when unreadable.
long host_uid_of(int pid, const char* field = "Uid:");
// The "status" of `state` output, "" when it is not a state document.
std::string status_of(const CommandResult& state);

class RootlessTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // `<runtime> --root <state root> args...`; with an empty state root, no --root (the default).
  CommandResult runtime(const std::vector<std::string>& args);
  CommandResult runtime_at(const std::string& root, const std::vector<std::string>& args);
  // runtime(args)'s argv, for a command the test starts itself (e.g. on a pty).
  std::vector<std::string> runtime_command(const std::vector<std::string>& args) const;
  void write_config(const nlohmann::json& config);
  // The "pid" of `state <id>`, -1 when there is none.
  int init_pid();

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
  // Put before every runtime command (the network tests run burrow in namespaces of their own).
  std::vector<std::string> command_prefix_;
};

}  // namespace integration
