#include "network/helper_args.hpp"

#include <nlohmann/json.hpp>

namespace burrow::network {
namespace {

std::string fd_path(int fd) {
  return "/proc/self/fd/" + std::to_string(fd);
}

// pasta's SPEC: ADDRESS/HOST_PORT:CONTAINER_PORT, comma-separated.
std::string pasta_ports(const NetworkConfig& config, Protocol protocol) {
  std::string spec;
  for (const PortForward& forward : config.ports) {
    if (forward.protocol != protocol) continue;
    spec += (spec.empty() ? "" : ",") + forward.host_address + "/" +
            std::to_string(forward.host_port) + ":" + std::to_string(forward.container_port);
  }
  return spec.empty() ? "none" : spec;
}

}  // namespace

std::vector<std::string> pasta_args(const NetworkConfig& config, const HelperFds& fds,
                                    const HelperPaths& paths, uid_t uid, gid_t gid) {
  std::vector<std::string> args{
      paths.binary, "--config-net", "--ipv4-only", "--ns-ifname", kInterfaceName, "--address",
      kContainerAddress, "--netmask", "24", "--gateway", kGatewayAddress, "--dns-forward",
      kDnsAddress, "--mtu", std::to_string(config.mtu), "--quiet", "--log-file", paths.log_file,
      "--pid", paths.pid_file, "--runas", std::to_string(uid) + ":" + std::to_string(gid),
      // host -> container: only the listed ports (default: all)
      "--tcp-ports", pasta_ports(config, Protocol::tcp), "--udp-ports",
      pasta_ports(config, Protocol::udp),
      // container loopback -> host loopback: never (default: all)
      "--tcp-ns", "none", "--udp-ns", "none"};
  // The gateway address is mapped to the host's loopback by default.
  if (!config.host_loopback) args.push_back("--no-map-gw");
  if (fds.userns >= 0) {
    args.push_back("--userns");
    args.push_back(fd_path(fds.userns));
  }
  args.push_back("--netns");
  args.push_back(fd_path(fds.netns));
  return args;
}

std::vector<std::string> slirp4netns_args(const NetworkConfig& config, const HelperFds& fds,
                                          const HelperPaths& paths, bool sandbox) {
  std::vector<std::string> args{paths.binary,
                                "--configure",
                                "--mtu=" + std::to_string(config.mtu),
                                "--ready-fd=" + std::to_string(fds.ready),
                                "--exit-fd=" + std::to_string(fds.exit),
                                "--enable-seccomp"};
  if (sandbox) args.push_back("--enable-sandbox");
  if (!config.host_loopback) args.push_back("--disable-host-loopback");
  if (!config.ports.empty()) args.push_back("--api-socket=" + paths.api_socket);
  args.push_back("--netns-type=path");
  if (fds.userns >= 0) args.push_back("--userns-path=" + fd_path(fds.userns));
  args.push_back(fd_path(fds.netns));
  args.push_back(kInterfaceName);
  return args;
}

std::string slirp4netns_forward_request(const PortForward& forward) {
  nlohmann::json request = {{"execute", "add_hostfwd"},
                            {"arguments",
                             {{"proto", protocol_name(forward.protocol)},
                              {"host_addr", forward.host_address},
                              {"host_port", forward.host_port},
                              {"guest_addr", kContainerAddress},
                              {"guest_port", forward.container_port}}}};
  return request.dump();
}

}  // namespace burrow::network
