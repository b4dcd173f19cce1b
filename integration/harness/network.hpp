// What the network tests (run.burrow.network*) share, as root (integration/network_test.cpp) and
// rootless (integration/rootless/rootless_network_test.cpp): the configs that ask for a helper,
// the helpers' records and processes, the listeners of a network namespace, a minimal HTTP
// client, and the commands that make a fresh network namespace look like a host to pasta.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/config.hpp"

namespace integration {

// The test's own TCP server in the outer namespace (reached from containers at 10.0.2.2 when
// host-loopback is allowed), and the host port forwarded to a container's port 80.
constexpr int kHostServerPort = 7777;
constexpr int kForwardedPort = 8080;

// The forward of kForwardedPort to the container's port 80, as run.burrow.network.ports says it.
std::string forward_to_port_80();

// Absolute path of an installed program (/usr/bin, /usr/sbin, /bin), "" when there is none.
std::string helper_path(const std::string& name);

// The run.burrow.network=<mode> annotation and `annotations`, with `args` as the process.
Tweak with_network(const std::string& mode, const std::map<std::string, std::string>& annotations,
                   const std::vector<std::string>& args);

// busybox httpd on the container's port 80 serving `page` from <work>/www, bound at /srv.
Tweak container_server(const std::string& work, const std::string& page, const std::string& mode,
                       const std::map<std::string, std::string>& annotations);

// Writes `page` as <dir>/index.html and returns the argv of a foreground busybox httpd serving it
// on 127.0.0.1:kHostServerPort.
std::vector<std::string> host_server_command(const std::string& dir, const std::string& page);

// The start time of a process (field 22 of /proc/<pid>/stat), nullopt when there is none.
std::optional<uint64_t> process_start_time(pid_t pid);
// Alive and still the process recorded (same start time, not a zombie)?
bool process_alive(pid_t pid, uint64_t start_time);

// Listening TCP sockets of a network namespace, as "address:port" (IPv4; IPv6 as "[v6]<hex>").
// `proc_net` is a /proc/<pid>/net dir; the default is the caller's own namespace.
std::vector<std::string> tcp_listeners(const std::string& proc_net = "/proc/self/net");

// GET / from 127.0.0.1:port; "" when nothing answers.
std::string http_get(int port);

// Calls `attempt` until its answer contains `wanted` or `limit` passes; the last answer.
std::string retry_until(const std::function<std::string()>& attempt, const std::string& wanted,
                        std::chrono::seconds limit);
std::string http_get_until(int port, const std::string& wanted, std::chrono::seconds limit);

// Pids of live processes whose command line mentions `text` (zombies have none).
std::vector<pid_t> processes_mentioning(const std::string& text);

// Runs of blanks as one space (uid_map pads its columns).
std::string squeeze_blanks(const std::string& text);

// <state_root>/<id>/network.json (with a test failure when there is none).
nlohmann::json network_record(const std::string& state_root, const std::string& id);

// The watcher and helper of `record` are gone (within `limit`) / still running.
void expect_helpers_gone(const nlohmann::json& record, std::chrono::seconds limit);
void expect_helpers_alive(const nlohmann::json& record);

// `ip` commands that make a new network namespace a host to the helpers: loopback up, and a veth
// pair carrying a default route (pasta copies the addresses and routes of such an interface).
std::vector<std::vector<std::string>> outer_network_setup();

}  // namespace integration
