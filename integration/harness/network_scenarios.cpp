#include "harness/network_scenarios.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "harness/network.hpp"

namespace integration {

using nlohmann::json;
using namespace std::chrono_literals;

std::string NetworkScenarios::host_http_get_until(int port, const std::string& wanted,
                                                  std::chrono::seconds limit) {
  return retry_until([&] { return host_http_get(port); }, wanted, limit);
}

Tweak NetworkScenarios::server_with(const std::string& page,
                                    const std::map<std::string, std::string>& annotations) {
  ScenarioContainer c = scenario_container();
  return container_server(c.work, page, c.mode, annotations);
}

CommandResult NetworkScenarios::run_with(const Tweak& tweak) {
  ScenarioContainer c = scenario_container();
  write_scenario_config(tweak);
  return scenario_runtime({"run", "--bundle", c.bundle, c.id});
}

void NetworkScenarios::start_detached(const Tweak& tweak) {
  ScenarioContainer c = scenario_container();
  write_scenario_config(tweak);
  CommandResult started = scenario_runtime({"run", "-d", "--bundle", c.bundle, c.id});
  ASSERT_EQ(started.exit_code, 0) << started.describe();
}

void NetworkScenarios::host_loopback_reachable_only_when_allowed() {
  const std::string mode = scenario_container().mode;
  ASSERT_NO_FATAL_FAILURE(start_host_server("hello-from-host"));
  std::vector<std::string> fetch = {"/bin/sh", "-c",
                                    "timeout 5 wget -q -O - http://10.0.2.2:" +
                                        std::to_string(kHostServerPort) + "/; echo wget=$?"};
  CommandResult denied = run_with(with_network(mode, {}, fetch));
  EXPECT_EQ(denied.out.find("hello-from-host"), std::string::npos) << denied.describe();
  EXPECT_EQ(denied.out.find("wget=0"), std::string::npos) << denied.describe();

  CommandResult refused =
      run_with(with_network(mode, {{"run.burrow.network.host-loopback", "false"}}, fetch));
  EXPECT_EQ(refused.out.find("hello-from-host"), std::string::npos) << refused.describe();

  CommandResult allowed =
      run_with(with_network(mode, {{"run.burrow.network.host-loopback", "true"}}, fetch));
  EXPECT_NE(allowed.out.find("hello-from-host"), std::string::npos) << allowed.describe();
  EXPECT_NE(allowed.out.find("wget=0"), std::string::npos) << allowed.describe();
}

void NetworkScenarios::port_forward_serves_http() {
  ASSERT_NO_FATAL_FAILURE(start_detached(
      server_with("hello-from-container", {{"run.burrow.network.ports", forward_to_port_80()}})));
  std::string reply = host_http_get_until(kForwardedPort, "hello-from-container", 10s);
  EXPECT_NE(reply.find("hello-from-container"), std::string::npos) << reply;
  // The forward is the only thing listening on the host side.
  EXPECT_EQ(host_listeners(),
            std::vector<std::string>{"127.0.0.1:" + std::to_string(kForwardedPort)});
}

void NetworkScenarios::nothing_listens_on_host_without_ports() {
  ASSERT_NO_FATAL_FAILURE(start_detached(server_with("hello-from-container", {})));
  std::this_thread::sleep_for(1s);  // httpd has bound port 80 inside by now
  EXPECT_EQ(host_listeners(), std::vector<std::string>{});
  EXPECT_EQ(host_http_get(80), "");
}

void NetworkScenarios::no_helper_left_after_delete_of_created_container() {
  ScenarioContainer c = scenario_container();
  write_scenario_config(with_network(c.mode, {}, {"/bin/true"}));
  CommandResult created = scenario_runtime({"create", "--bundle", c.bundle, c.id});
  ASSERT_EQ(created.exit_code, 0) << created.describe();
  json record = network_record(c.state_root, c.id);
  expect_helpers_alive(record);
  CommandResult deleted = scenario_runtime({"delete", c.id});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.describe();
  expect_helpers_gone(record, 0s);
}

void NetworkScenarios::no_helper_left_after_init_is_killed() {
  ScenarioContainer c = scenario_container();
  ASSERT_NO_FATAL_FAILURE(start_detached(with_network(c.mode, {}, {"sleep", "600"})));
  json record = network_record(c.state_root, c.id);
  expect_helpers_alive(record);
  json state = json::parse(scenario_runtime({"state", c.id}).out, nullptr, false);
  ASSERT_TRUE(state.is_object() && state.contains("pid")) << state;
  ASSERT_EQ(::kill(state["pid"].get<pid_t>(), SIGKILL), 0);
  expect_helpers_gone(record, 10s);  // without delete: the watcher saw the init exit
}

void NetworkScenarios::no_helper_left_after_delete_force() {
  ScenarioContainer c = scenario_container();
  ASSERT_NO_FATAL_FAILURE(start_detached(with_network(c.mode, {}, {"sleep", "600"})));
  json record = network_record(c.state_root, c.id);
  expect_helpers_alive(record);
  CommandResult deleted = scenario_runtime({"delete", "--force", c.id});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.describe();
  expect_helpers_gone(record, 0s);
}

}  // namespace integration
