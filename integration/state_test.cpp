// `state` in every status a container can be in: created, running, paused (its cgroup frozen
// by the test itself, since the pause command is not there yet), stopped. Like runc, no
// container is ever shown "creating": state.json exists only once create has finished.
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class State : public ContainerTest {
 protected:
  json state_json() {
    CommandResult result = runtime({"state", id_});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    return json::parse(result.out, nullptr, false);
  }
  // Polls `state` until the status is `wanted`; the last state seen.
  json wait_for(const std::string& wanted) {
    json state;
    auto deadline = std::chrono::steady_clock::now() + 10s;
    do {
      state = state_json();
      if (state.is_object() && state["status"] == wanted) break;
      std::this_thread::sleep_for(20ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return state;
  }
  void create_sleeper() {
    write_config([](json& c) { c["process"]["args"] = probe_args({"sleep", "30"}); });
    auto create = start_runtime({"create", "--bundle", bundle_, id_}, "container");
    CommandResult created = create->wait(30s);
    ASSERT_EQ(created.exit_code, 0) << created.describe();
  }
  // The v1 freezer directory of `pid` ("" when the host has no v1 freezer).
  static std::string freezer_dir(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cgroup");
    for (std::string line; std::getline(in, line);) {
      std::string::size_type first = line.find(':'), second = line.find(':', first + 1);
      if (line.substr(first + 1, second - first - 1) == "freezer")
        return "/sys/fs/cgroup/freezer" + line.substr(second + 1);
    }
    return "";
  }
};

// Every field of runc's state, with the pid runc shows (0 once stopped).
void expect_state_shape(const json& state, const std::string& status) {
  ASSERT_TRUE(state.is_object()) << state;
  EXPECT_EQ(state["status"], status) << state;
  for (const char* key : {"ociVersion", "id", "bundle", "rootfs", "created", "owner"})
    EXPECT_TRUE(state[key].is_string()) << key << " in " << state;
  ASSERT_TRUE(state["pid"].is_number_integer()) << state;
  if (status == "stopped")
    EXPECT_EQ(state["pid"], 0) << state;
  else
    EXPECT_GT(state["pid"].get<int>(), 0) << state;
}

TEST_F(State, CreatedRunningStopped) {
  create_sleeper();
  json created = state_json();
  expect_state_shape(created, "created");
  EXPECT_EQ(created["id"], id_);
  ASSERT_EQ(runtime({"start", id_}).exit_code, 0);
  json running = wait_for("running");
  expect_state_shape(running, "running");
  EXPECT_EQ(running["pid"], created["pid"]);
  ASSERT_EQ(runtime({"kill", id_, "KILL"}).exit_code, 0);
  expect_state_shape(wait_for("stopped"), "stopped");
}

TEST_F(State, FrozenCgroupIsPausedInAnyLiveStatus) {
  create_sleeper();
  int pid = state_json().value("pid", 0);
  ASSERT_GT(pid, 0);
  std::string freezer = freezer_dir(pid);
  if (freezer.empty() || freezer == "/sys/fs/cgroup/freezer/")
    GTEST_SKIP() << "needs the container in its own v1 freezer cgroup";
  for (const char* before : {"created", "running"}) {
    if (std::string(before) == "running") {
      ASSERT_EQ(runtime({"start", id_}).exit_code, 0);
      ASSERT_EQ(wait_for("running")["status"], "running");
    }
    write_text(freezer + "/freezer.state", "FROZEN");
    expect_state_shape(wait_for("paused"), "paused");
    write_text(freezer + "/freezer.state", "THAWED");
    EXPECT_EQ(wait_for(before)["status"], before);
  }
}

TEST_F(State, UnknownContainerDoesNotExist) {
  expect_error(runtime({"state", "no-such-container"}), "does_not_exist");
}

}  // namespace
}  // namespace integration
