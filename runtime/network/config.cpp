#include "network/config.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace burrow::network {
namespace {

constexpr unsigned kMinMtu = 68;     // IPv4's minimum
constexpr unsigned kMaxMtu = 65520;  // pasta's maximum (slirp4netns allows 65521)

Error bad_value(const std::string& annotation, const std::string& value, const std::string& why) {
  return Error::msg("annotation " + annotation + ": invalid value \"" + value + "\": " + why,
                    EINVAL);
}

Result<unsigned> parse_number(const std::string& text, unsigned min, unsigned max) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max)
    return Error::msg("not a number in " + std::to_string(min) + ".." + std::to_string(max));
  return value;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

// "tcp:127.0.0.1:8080:80"
Result<PortForward> parse_forward(const std::string& item) {
  std::vector<std::string> fields = split(item, ':');
  if (fields.size() != 4)
    return Error::msg(
        "want PROTOCOL:HOST_ADDRESS:HOST_PORT:CONTAINER_PORT, e.g. tcp:127.0.0.1:8080:80");
  PortForward forward;
  if (fields[0] == "tcp")
    forward.protocol = Protocol::tcp;
  else if (fields[0] == "udp")
    forward.protocol = Protocol::udp;
  else
    return Error::msg("protocol \"" + fields[0] + "\" is not tcp or udp");
  in_addr address{};
  if (::inet_pton(AF_INET, fields[1].c_str(), &address) != 1)
    return Error::msg("host address \"" + fields[1] + "\" is not an IPv4 address");
  forward.host_address = fields[1];
  auto host_port = parse_number(fields[2], 1, 65535);
  if (!host_port)
    return Error::msg("host port \"" + fields[2] + "\": " + host_port.error().message);
  auto container_port = parse_number(fields[3], 1, 65535);
  if (!container_port)
    return Error::msg("container port \"" + fields[3] + "\": " + container_port.error().message);
  forward.host_port = static_cast<uint16_t>(*host_port);
  forward.container_port = static_cast<uint16_t>(*container_port);
  return forward;
}

Result<std::vector<PortForward>> parse_ports(const std::string& value) {
  std::vector<PortForward> forwards;
  for (const std::string& item : split(value, ',')) {
    auto forward = parse_forward(item);
    if (!forward) return bad_value(kPortsAnnotation, item, forward.error().message);
    for (const PortForward& seen : forwards) {
      if (seen.protocol == forward->protocol && seen.host_port == forward->host_port &&
          seen.host_address == forward->host_address)
        return bad_value(kPortsAnnotation, item, "host address and port forwarded twice");
    }
    forwards.push_back(*forward);
  }
  return forwards;
}

Result<Mode> parse_mode(const std::string& value) {
  if (value == "none") return Mode::none;
  if (value == "pasta") return Mode::pasta;
  if (value == "slirp4netns") return Mode::slirp4netns;
  return bad_value(kModeAnnotation, value, "want pasta, slirp4netns or none");
}

Status apply_setting(NetworkConfig& config, const std::string& key, const std::string& value) {
  if (key == kMtuAnnotation) {
    auto mtu = parse_number(value, kMinMtu, kMaxMtu);
    if (!mtu) return bad_value(key, value, mtu.error().message);
    config.mtu = *mtu;
  } else if (key == kPortsAnnotation) {
    config.ports = BURROW_TRY(parse_ports(value));
  } else if (key == kHostLoopbackAnnotation) {
    if (value != "true" && value != "false") return bad_value(key, value, "want true or false");
    config.host_loopback = value == "true";
  } else {
    return Error::msg("annotation " + key + ": unknown (known: " + kMtuAnnotation + ", " +
                          kPortsAnnotation + ", " + kHostLoopbackAnnotation + ")",
                      EINVAL);
  }
  return {};
}

}  // namespace

const char* mode_name(Mode mode) {
  switch (mode) {
    case Mode::pasta:
      return "pasta";
    case Mode::slirp4netns:
      return "slirp4netns";
    case Mode::none:
      break;
  }
  return "none";
}

const char* protocol_name(Protocol protocol) {
  return protocol == Protocol::udp ? "udp" : "tcp";
}

Result<NetworkConfig> parse_annotations(const std::map<std::string, std::string>& annotations) {
  NetworkConfig config;
  std::string prefix = std::string(kModeAnnotation) + ".";
  std::string first_setting;
  for (const auto& [key, value] : annotations) {
    if (key == kModeAnnotation) {
      config.mode = BURROW_TRY(parse_mode(value));
    } else if (key.compare(0, prefix.size(), prefix) == 0) {
      BURROW_TRY(apply_setting(config, key, value));
      if (first_setting.empty()) first_setting = key;
    }
  }
  if (config.mode == Mode::none && !first_setting.empty())
    return Error::msg(
        "annotation " + first_setting + ": needs " + kModeAnnotation + "=pasta or slirp4netns",
        EINVAL);
  return config;
}

std::string resolv_conf_text() {
  return std::string("nameserver ") + kDnsAddress + "\n";
}

}  // namespace burrow::network
