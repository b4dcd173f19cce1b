#include "network/config.hpp"

#include <gtest/gtest.h>

namespace burrow::network {
namespace {

using Annotations = std::map<std::string, std::string>;

std::string error_of(const Annotations& annotations) {
  auto parsed = parse_annotations(annotations);
  EXPECT_FALSE(parsed.ok());
  return parsed.ok() ? "" : parsed.error().message;
}

TEST(NetworkAnnotations, DefaultIsNoneWithSafeSettings) {
  auto config = parse_annotations({{"org.example.other", "x"}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->mode, Mode::none);
  EXPECT_EQ(config->mtu, 65520u);
  EXPECT_TRUE(config->ports.empty());
  EXPECT_FALSE(config->host_loopback);
}

TEST(NetworkAnnotations, ReadsEverySetting) {
  auto config = parse_annotations(
      {{"run.burrow.network", "slirp4netns"},
       {"run.burrow.network.mtu", "1500"},
       {"run.burrow.network.host-loopback", "true"},
       {"run.burrow.network.ports", "tcp:127.0.0.1:8080:80,udp:0.0.0.0:5353:53"}});
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->mode, Mode::slirp4netns);
  EXPECT_EQ(config->mtu, 1500u);
  EXPECT_TRUE(config->host_loopback);
  ASSERT_EQ(config->ports.size(), 2u);
  EXPECT_EQ(config->ports[0], (PortForward{Protocol::tcp, "127.0.0.1", 8080, 80}));
  EXPECT_EQ(config->ports[1], (PortForward{Protocol::udp, "0.0.0.0", 5353, 53}));
  EXPECT_EQ(parse_annotations({{"run.burrow.network", "pasta"}})->mode, Mode::pasta);
  EXPECT_EQ(parse_annotations({{"run.burrow.network", "none"}})->mode, Mode::none);
}

TEST(NetworkAnnotations, BadModeNamesAnnotationAndValue) {
  EXPECT_EQ(error_of({{"run.burrow.network", "bridge"}}),
            "annotation run.burrow.network: invalid value \"bridge\": want pasta, slirp4netns "
            "or none");
}

TEST(NetworkAnnotations, BadMtu) {
  for (const char* mtu : {"", "abc", "67", "65521", "1500x", "-1"}) {
    std::string error =
        error_of({{"run.burrow.network", "pasta"}, {"run.burrow.network.mtu", mtu}});
    EXPECT_EQ(error, "annotation run.burrow.network.mtu: invalid value \"" + std::string(mtu) +
                         "\": not a number in 68..65520");
  }
  EXPECT_EQ(
      parse_annotations({{"run.burrow.network", "pasta"}, {"run.burrow.network.mtu", "68"}})->mtu,
      68u);
}

TEST(NetworkAnnotations, BadHostLoopback) {
  EXPECT_EQ(error_of({{"run.burrow.network", "pasta"}, {"run.burrow.network.host-loopback", "1"}}),
            "annotation run.burrow.network.host-loopback: invalid value \"1\": want true or false");
}

TEST(NetworkAnnotations, BadPortsNameTheItem) {
  auto ports_error = [](const std::string& ports) {
    return error_of({{"run.burrow.network", "slirp4netns"}, {"run.burrow.network.ports", ports}});
  };
  EXPECT_EQ(ports_error("tcp:127.0.0.1:8080:80,sctp:127.0.0.1:1:2"),
            "annotation run.burrow.network.ports: invalid value \"sctp:127.0.0.1:1:2\": protocol "
            "\"sctp\" is not tcp or udp");
  EXPECT_EQ(ports_error("tcp:8080:80"),
            "annotation run.burrow.network.ports: invalid value \"tcp:8080:80\": want "
            "PROTOCOL:HOST_ADDRESS:HOST_PORT:CONTAINER_PORT, e.g. tcp:127.0.0.1:8080:80");
  EXPECT_EQ(ports_error("tcp:localhost:8080:80"),
            "annotation run.burrow.network.ports: invalid value \"tcp:localhost:8080:80\": host "
            "address \"localhost\" is not an IPv4 address");
  EXPECT_EQ(ports_error("tcp:127.0.0.1:0:80"),
            "annotation run.burrow.network.ports: invalid value \"tcp:127.0.0.1:0:80\": host port "
            "\"0\": not a number in 1..65535");
  EXPECT_EQ(ports_error("udp:127.0.0.1:53:65536"),
            "annotation run.burrow.network.ports: invalid value \"udp:127.0.0.1:53:65536\": "
            "container port \"65536\": not a number in 1..65535");
  EXPECT_EQ(ports_error("tcp:127.0.0.1:80:80,tcp:127.0.0.1:80:81"),
            "annotation run.burrow.network.ports: invalid value \"tcp:127.0.0.1:80:81\": host "
            "address and port forwarded twice");
  EXPECT_EQ(ports_error(""),
            "annotation run.burrow.network.ports: invalid value \"\": want "
            "PROTOCOL:HOST_ADDRESS:HOST_PORT:CONTAINER_PORT, e.g. tcp:127.0.0.1:8080:80");
}

TEST(NetworkAnnotations, SettingWithoutHelperIsRefused) {
  EXPECT_EQ(error_of({{"run.burrow.network.ports", "tcp:127.0.0.1:8080:80"}}),
            "annotation run.burrow.network.ports: needs run.burrow.network=pasta or slirp4netns");
  EXPECT_EQ(error_of({{"run.burrow.network", "none"}, {"run.burrow.network.mtu", "1500"}}),
            "annotation run.burrow.network.mtu: needs run.burrow.network=pasta or slirp4netns");
}

TEST(NetworkAnnotations, UnknownSettingIsRefused) {
  EXPECT_EQ(error_of({{"run.burrow.network", "pasta"}, {"run.burrow.network.port", "x"}}),
            "annotation run.burrow.network.port: unknown (known: run.burrow.network.mtu, "
            "run.burrow.network.ports, run.burrow.network.host-loopback)");
}

TEST(NetworkAnnotations, ResolvConfPointsAtForwarder) {
  EXPECT_EQ(resolv_conf_text(), "nameserver 10.0.2.3\n");
}

}  // namespace
}  // namespace burrow::network
