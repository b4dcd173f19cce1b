// Per-container networking chosen by annotations (README.md, "Networking"):
//   run.burrow.network             pasta | slirp4netns | none (default: none, loopback only)
//   run.burrow.network.mtu         68..65520 (default 65520)
//   run.burrow.network.ports       tcp:127.0.0.1:8080:80,udp:127.0.0.1:5353:53 (host -> container)
//   run.burrow.network.host-loopback  true | false (default false): may the container reach the
//                                  host's 127.0.0.1 (at the gateway address, 10.0.2.2)
// Parsing is pure; errors name the annotation and the bad value.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace burrow::network {

inline constexpr const char* kModeAnnotation = "run.burrow.network";
inline constexpr const char* kMtuAnnotation = "run.burrow.network.mtu";
inline constexpr const char* kPortsAnnotation = "run.burrow.network.ports";
inline constexpr const char* kHostLoopbackAnnotation = "run.burrow.network.host-loopback";

enum class Mode { none, pasta, slirp4netns };
enum class Protocol { tcp, udp };

struct PortForward {
  Protocol protocol = Protocol::tcp;
  std::string host_address;  // IPv4, dotted quad
  uint16_t host_port = 0;
  uint16_t container_port = 0;
  bool operator==(const PortForward&) const = default;
};

struct NetworkConfig {
  Mode mode = Mode::none;
  unsigned mtu = 65520;
  std::vector<PortForward> ports;
  bool host_loopback = false;
};

const char* mode_name(Mode mode);
const char* protocol_name(Protocol protocol);

// Reads the run.burrow.network* annotations. Other annotations are ignored; an unknown key under
// run.burrow.network. is an error (a typo must not silently drop a setting), and so is a setting
// without run.burrow.network=pasta|slirp4netns.
Result<NetworkConfig> parse_annotations(const std::map<std::string, std::string>& annotations);

// The addresses the container sees, the same for both helpers (slirp4netns's defaults).
inline constexpr const char* kContainerAddress = "10.0.2.100";
inline constexpr const char* kGatewayAddress = "10.0.2.2";  // the host's loopback when allowed
inline constexpr const char* kDnsAddress = "10.0.2.3";      // the helper's DNS forwarder
inline constexpr const char* kInterfaceName = "eth0";

// The resolv.conf bind-mounted into a container that has a helper (and no resolv.conf mount).
std::string resolv_conf_text();

}  // namespace burrow::network
