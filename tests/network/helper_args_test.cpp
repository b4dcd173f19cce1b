#include "network/helper_args.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace burrow::network {
namespace {

using Args = std::vector<std::string>;

bool has(const Args& args, const std::string& arg) {
  return std::find(args.begin(), args.end(), arg) != args.end();
}

// The value following `option`, "" when absent.
std::string value_of(const Args& args, const std::string& option) {
  auto it = std::find(args.begin(), args.end(), option);
  return it == args.end() || it + 1 == args.end() ? "" : *(it + 1);
}

const HelperPaths kPaths{"/usr/bin/helper", "/s/pasta.pid", "/s/pasta.log", "/s/api.sock"};

TEST(PastaArgs, ExposesNothingByDefault) {
  NetworkConfig config;
  config.mode = Mode::pasta;
  Args args = pasta_args(config, {3, -1, -1, -1}, kPaths, 0, 0);
  EXPECT_EQ(args.front(), "/usr/bin/helper");
  EXPECT_EQ(value_of(args, "--tcp-ports"), "none");
  EXPECT_EQ(value_of(args, "--udp-ports"), "none");
  EXPECT_EQ(value_of(args, "--tcp-ns"), "none");
  EXPECT_EQ(value_of(args, "--udp-ns"), "none");
  EXPECT_TRUE(has(args, "--no-map-gw"));
  EXPECT_EQ(value_of(args, "--netns"), "/proc/self/fd/3");
  EXPECT_FALSE(has(args, "--userns"));
  EXPECT_EQ(value_of(args, "--runas"), "0:0");
  EXPECT_EQ(value_of(args, "--mtu"), "65520");
  EXPECT_EQ(value_of(args, "--pid"), "/s/pasta.pid");
  EXPECT_EQ(value_of(args, "--dns-forward"), "10.0.2.3");
  EXPECT_EQ(value_of(args, "--gateway"), "10.0.2.2");
  EXPECT_EQ(value_of(args, "--address"), "10.0.2.100");
}

TEST(PastaArgs, PortsLoopbackUserNamespace) {
  NetworkConfig config;
  config.mode = Mode::pasta;
  config.mtu = 1500;
  config.host_loopback = true;
  config.ports = {{Protocol::tcp, "127.0.0.1", 8080, 80},
                  {Protocol::udp, "0.0.0.0", 5353, 53},
                  {Protocol::tcp, "127.0.0.1", 8443, 443}};
  Args args = pasta_args(config, {3, 4, -1, -1}, kPaths, 1000, 1001);
  EXPECT_EQ(value_of(args, "--tcp-ports"), "127.0.0.1/8080:80,127.0.0.1/8443:443");
  EXPECT_EQ(value_of(args, "--udp-ports"), "0.0.0.0/5353:53");
  EXPECT_FALSE(has(args, "--no-map-gw"));
  EXPECT_EQ(value_of(args, "--tcp-ns"), "none");  // the gateway, not a loopback splice
  EXPECT_EQ(value_of(args, "--userns"), "/proc/self/fd/4");
  EXPECT_EQ(value_of(args, "--runas"), "1000:1001");
  EXPECT_EQ(value_of(args, "--mtu"), "1500");
}

TEST(Slirp4netnsArgs, ExposesNothingByDefault) {
  NetworkConfig config;
  config.mode = Mode::slirp4netns;
  Args args = slirp4netns_args(config, {3, -1, 5, 6}, kPaths, true);
  EXPECT_EQ(args,
            (Args{"/usr/bin/helper", "--configure", "--mtu=65520", "--ready-fd=5", "--exit-fd=6",
                  "--enable-seccomp", "--enable-sandbox", "--disable-host-loopback",
                  "--netns-type=path", "/proc/self/fd/3", "eth0"}));
}

TEST(Slirp4netnsArgs, PortsLoopbackUserNamespace) {
  NetworkConfig config;
  config.mode = Mode::slirp4netns;
  config.host_loopback = true;
  config.ports = {{Protocol::tcp, "127.0.0.1", 8080, 80}};
  Args args = slirp4netns_args(config, {3, 4, 5, 6}, kPaths, false);
  EXPECT_FALSE(has(args, "--enable-sandbox"));  // unprivileged: it would fail
  EXPECT_FALSE(has(args, "--disable-host-loopback"));
  EXPECT_TRUE(has(args, "--api-socket=/s/api.sock"));
  EXPECT_TRUE(has(args, "--userns-path=/proc/self/fd/4"));
  EXPECT_EQ(args.back(), "eth0");
}

TEST(Slirp4netnsArgs, ForwardRequest) {
  EXPECT_EQ(slirp4netns_forward_request({Protocol::udp, "127.0.0.1", 5353, 53}),
            R"({"arguments":{"guest_addr":"10.0.2.100","guest_port":53,"host_addr":"127.0.0.1",)"
            R"("host_port":5353,"proto":"udp"},"execute":"add_hostfwd"})");
}

}  // namespace
}  // namespace burrow::network
