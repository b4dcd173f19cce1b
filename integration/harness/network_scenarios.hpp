// The run.burrow.network scenarios that both tiers assert, as root (integration/network_test.cpp)
// and as the unprivileged test user (integration/rootless/rootless_network_test.cpp), written
// once. The fixtures differ in how a container config is written and where the "host" is (the
// test's own network namespace, or an outer user+network namespace it enters): those are the
// hooks below.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "harness/command.hpp"
#include "harness/config.hpp"

namespace integration {

class NetworkScenarios {
 public:
  virtual ~NetworkScenarios() = default;

  // The container reaches the test's loopback-only server only with host-loopback=true.
  void host_loopback_reachable_only_when_allowed();
  // A host -> container forward serves the container's page and is the only host listener.
  void port_forward_serves_http();
  // Without a ports annotation nothing of the container's listens on the host.
  void nothing_listens_on_host_without_ports();
  // No watcher or helper outlives delete of a created container, a SIGKILLed init, delete -f.
  void no_helper_left_after_delete_of_created_container();
  void no_helper_left_after_init_is_killed();
  void no_helper_left_after_delete_force();

 protected:
  struct ScenarioContainer {
    std::string mode;  // pasta | slirp4netns
    std::string id, bundle, state_root, work;
  };
  virtual ScenarioContainer scenario_container() const = 0;
  // Writes the tier's config for the container, changed by `tweak`.
  virtual void write_scenario_config(const Tweak& tweak) = 0;
  virtual CommandResult scenario_runtime(const std::vector<std::string>& args) = 0;
  // A server of `page` on the host side's 127.0.0.1:kHostServerPort.
  virtual void start_host_server(const std::string& page) = 0;
  // GET / from the host side's 127.0.0.1:port ("" when nothing answers), and its listeners.
  virtual std::string host_http_get(int port) = 0;
  virtual std::vector<std::string> host_listeners() = 0;

 private:
  std::string host_http_get_until(int port, const std::string& wanted, std::chrono::seconds limit);
  Tweak server_with(const std::string& page, const std::map<std::string, std::string>& annotations);
  CommandResult run_with(const Tweak& tweak);
  void start_detached(const Tweak& tweak);
};

}  // namespace integration
