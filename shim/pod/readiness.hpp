// GitLab's wait-for-service: a service is ready once a TCP connection to one of its ports
// succeeds, seen from inside the pod's network namespace (where the service listens on
// 127.0.0.1 as well as on the pod's address).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "runtime_client/child.hpp"

namespace burrow::shim::pod {

// The TCP ports to wait for: HEALTHCHECK_TCP_PORT among the service's variables when set (GitLab),
// else the image's exposed "N/tcp" (and bare "N") ports. Empty: nothing to wait for.
std::vector<int> ports_to_wait_for(const std::vector<std::string>& exposed_ports,
                                   const std::string& healthcheck_tcp_port);

// A child that enters the network namespace of `pod_pid` (after its user namespace when
// `join_user`) and tries every port on 127.0.0.1 every 10 ms; it exits 0 on the first
// connection made once every file of `required_files` (host paths, e.g. a dind service's client
// certificates) exists, 1 when `timeout` passes, 2 when it cannot enter the namespace. Watch
// its pidfd.
Result<runtime::Child> start_port_wait(pid_t pod_pid, const std::vector<int>& ports,
                                       std::chrono::milliseconds timeout, bool join_user,
                                       const std::vector<std::string>& required_files = {});

}  // namespace burrow::shim::pod
