// The command lines of the two helpers, built from the annotations (pure, unit-tested). Both give
// the container the same network: eth0 10.0.2.100/24, gateway 10.0.2.2, DNS forwarder 10.0.2.3,
// IPv4 only; nothing forwarded from the host but the `ports` annotation's list, and the host's
// loopback reachable (at 10.0.2.2) only with host-loopback=true.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "network/config.hpp"

namespace burrow::network {

// fd numbers as the helper process sees them (it is given them as /proc/self/fd/N paths).
struct HelperFds {
  int netns = -1;
  int userns = -1;  // -1: the network namespace is owned by the caller's user namespace
  int ready = -1;   // slirp4netns: written once the interface is configured
  int exit = -1;    // slirp4netns: it exits when this fd's other end closes
};

struct HelperPaths {
  std::string binary;
  std::string pid_file;    // pasta: the daemon's pid
  std::string log_file;    // pasta: its log (it logs to syslog otherwise)
  std::string api_socket;  // slirp4netns: the control socket port forwards are added through
};

// pasta daemonizes once the namespace is configured (its exit status says whether it worked).
// As root it would drop to nobody, who may not enter the namespace: it keeps our ids.
std::vector<std::string> pasta_args(const NetworkConfig& config, const HelperFds& fds,
                                    const HelperPaths& paths, uid_t uid, gid_t gid);

// slirp4netns stays in the foreground; port forwards are added through its API socket (only
// made when there are any). `sandbox` (its own mount namespace, capabilities dropped) works only
// for root: run by an unprivileged user from the host's user namespace it fails ("setegid(0)").
std::vector<std::string> slirp4netns_args(const NetworkConfig& config, const HelperFds& fds,
                                          const HelperPaths& paths, bool sandbox);

// One add_hostfwd request of slirp4netns's API.
std::string slirp4netns_forward_request(const PortForward& forward);

}  // namespace burrow::network
