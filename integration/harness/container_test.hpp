// The fixture of every integration test: a per-test work dir holding the bundle, the runtime's
// state root (--root) and captured output; the shared rootfs; a unique container id. TearDown
// always runs `delete -f` and then checks that nothing was left behind.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/command.hpp"
#include "harness/config.hpp"
#include "harness/environment.hpp"

namespace integration {

class ContainerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The base config with `tweak` applied.
  nlohmann::json config(const Tweak& tweak = {}) const;
  // Writes <bundle>/config.json: the tweaked base config, or exactly `text`.
  void write_config(const Tweak& tweak = {});
  void write_config_text(const std::string& text);

  // `<runtime> --root <state root> args...`, to completion.
  CommandResult runtime(const std::vector<std::string>& args,
                        std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // The same, left running; its stdout/stderr go to <work>/<name>.out and .err.
  std::unique_ptr<Command> start_runtime(const std::vector<std::string>& args,
                                         const std::string& name);

  // `run --bundle <bundle> <id>` with the tweaked config, in the foreground.
  CommandResult run_container(const Tweak& tweak = {});
  // run_container, expecting exit 0 and one JSON object (the probe's) on stdout.
  nlohmann::json probe_json(const Tweak& tweak = {});
  // The probe's report with `tweak` applied (args stay /probe).
  nlohmann::json probe_report(const Tweak& tweak = {}) { return probe_json(tweak); }

  // `create` then `start` with the tweaked config (asserting both succeed): a running container.
  void create_and_start(const Tweak& tweak = {});
  // The container's init pid from `state <id>`; 0 when there is none.
  int init_pid();
  // `state <id>` -> its "status", or "" with a test failure.
  std::string container_status(const std::string& id);
  // A failure: non-zero exit and, where the table says the runtime under test prints it, the
  // expected text (expected_messages.hpp) followed by `suffix` somewhere in stderr.
  void expect_error(const CommandResult& result, std::string_view key,
                    const std::string& suffix = "");

  // Another container id this test uses; TearDown deletes and checks it too.
  std::string extra_id(const std::string& suffix);

  std::string id_;          // unique per test run: "it-<pid>-<n>"
  std::string work_;        // the per-test temp dir
  std::string bundle_;      // <work>/bundle
  std::string state_root_;  // <work>/state, given as --root
  std::string rootfs_;      // the shared rootfs (absolute root.path)

 private:
  std::vector<std::string> ids_;
};

// Parses the last non-empty line of `out` as JSON; null when there is none or it is malformed.
nlohmann::json last_json_line(const std::string& out);

}  // namespace integration
