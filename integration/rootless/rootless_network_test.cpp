// Per-container networking (run.burrow.network*) made by the unprivileged test user: the root
// tier's network tests (integration/network_test.cpp) for pasta and slirp4netns, run in an
// outer user + network namespace of the test's own (rootless/outer_namespace.hpp), so the
// host's network is never touched. Each runs twice, once per way that namespace maps the test
// user: to itself (burrow is rootless there; the container gets the single self-mapping of
// `spec --rootless`, as subordinate ids cannot be mapped in a namespace that has only one uid),
// and to root (burrow is root of a non-initial user namespace, as under rootless podman, and the
// container shares that user namespace, as podman's configs do).
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <tuple>

#include "harness/container_test.hpp"
#include "harness/network.hpp"
#include "harness/network_scenarios.hpp"
#include "rootless/outer_namespace.hpp"
#include "rootless/rootless_fixture.hpp"

namespace integration {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

using NetworkCase = std::tuple<std::string, OuterMapping>;  // helper, mapping

std::string shell_quoted(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) text += (text.empty() ? "'" : " '") + arg + "'";
  return text;
}

class RootlessNetworkTest : public RootlessTest,
                            public NetworkScenarios,
                            public ::testing::WithParamInterface<NetworkCase> {
 protected:
  ScenarioContainer scenario_container() const override {
    return {mode(), id_, bundle_, state_root_, work_};
  }
  void write_scenario_config(const Tweak& tweak) override { write_network_config(tweak); }
  CommandResult scenario_runtime(const std::vector<std::string>& args) override {
    return runtime(args);
  }
  std::string host_http_get(int port) override { return outer_http_get(port); }
  std::vector<std::string> host_listeners() override { return outer_listeners(); }

  void SetUp() override {
    RootlessTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (!runtime_is_burrow()) GTEST_SKIP() << "run.burrow.network annotations are burrow's own";
    if (helper_path(mode()).empty()) GTEST_SKIP() << mode() << " is not installed";
    if (helper_path("nsenter").empty()) GTEST_SKIP() << "nsenter (util-linux) is not installed";
    if (::access("/dev/net/tun", R_OK | W_OK) != 0)
      GTEST_SKIP() << "/dev/net/tun is not usable by uid " << getuid()
                   << " (scripts/setup makes it 0666)";
    std::string why_not;
    outer_ = OuterNamespace::make(mapping(), work_, &why_not);
    ASSERT_TRUE(outer_) << why_not;
    command_prefix_ = outer_->enter({});
  }

  void TearDown() override {
    host_server_.reset();
    RootlessTest::TearDown();  // delete -f in the outer namespace; the container's leftovers
    if (!outer_) return;
    // Nothing of burrow's (watcher, helper, pasta's daemon) outlives the container there.
    std::vector<pid_t> left = outer_->other_processes();
    for (int i = 0; i < 100 && !left.empty(); ++i) {
      std::this_thread::sleep_for(50ms);
      left = outer_->other_processes();
    }
    EXPECT_EQ(left, std::vector<pid_t>{}) << "processes left in the outer network namespace";
    for (pid_t pid : left) ::kill(pid, SIGKILL);
    outer_.reset();
  }

  const std::string& mode() const { return std::get<0>(GetParam()); }
  OuterMapping mapping() const { return std::get<1>(GetParam()); }

  // The rootless config with a network namespace and `tweak`; under the root mapping without a
  // user namespace of its own (podman's shape there).
  void write_network_config(const Tweak& tweak) {
    json config = rootless_config(rootfs_, id_);
    json namespaces = json::array({{{"type", "network"}}});
    for (const auto& ns : config["linux"]["namespaces"]) {
      if (mapping() == OuterMapping::caller || ns["type"] != "user") namespaces.push_back(ns);
    }
    config["linux"]["namespaces"] = namespaces;
    if (mapping() == OuterMapping::root) {
      config["linux"].erase("uidMappings");
      config["linux"].erase("gidMappings");
    }
    tweak(config);
    write_config(config);
  }

  Tweak with_network(const std::map<std::string, std::string>& annotations,
                     const std::vector<std::string>& args) {
    return integration::with_network(mode(), annotations, args);
  }

  CommandResult run_container(const Tweak& tweak) {
    write_network_config(tweak);
    return runtime({"run", "--bundle", bundle_, id_});
  }

  // A busybox httpd serving `page` on 127.0.0.1:kHostServerPort of the outer namespace.
  void start_host_server(const std::string& page) override {
    host_server_ =
        std::make_unique<Command>(outer_->enter(host_server_command(work_ + "/host-www", page)),
                                  work_ + "/host-httpd.out", work_ + "/host-httpd.err");
    ASSERT_NE(outer_http_get_until(kHostServerPort, page, 5s).find(page), std::string::npos)
        << read_text(work_ + "/host-httpd.err");
  }

  Tweak container_server(const std::string& page,
                         const std::map<std::string, std::string>& annotations) {
    return integration::container_server(work_, page, mode(), annotations);
  }

  // GET / from 127.0.0.1:port of the outer namespace.
  std::string outer_http_get(int port) {
    return outer_->call([port] { return http_get(port); });
  }
  std::string outer_http_get_until(int port, const std::string& wanted,
                                   std::chrono::seconds limit) {
    return retry_until([&] { return outer_http_get(port); }, wanted, limit);
  }

  std::vector<std::string> outer_listeners() { return tcp_listeners(outer_->proc_net()); }

  std::unique_ptr<OuterNamespace> outer_;
  std::unique_ptr<Command> host_server_;
};

// The interface, route and resolver as for root; container root is the test user either way.
TEST_P(RootlessNetworkTest, ConfiguresInterfaceAndResolver) {
  CommandResult result = run_container(with_network(
      {{"run.burrow.network.mtu", "1500"}},
      {"/bin/sh", "-c", "cat /proc/self/uid_map /etc/resolv.conf; ip addr show eth0; ip route"}));
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_NE(squeeze_blanks(result.out).find(" 0 " + std::to_string(getuid()) + " 1\n"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("nameserver 10.0.2.3"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("mtu 1500"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("inet 10.0.2.100/24"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("default via 10.0.2.2"), std::string::npos) << result.out;
  EXPECT_EQ(read_text(rootfs_ + "/etc/resolv.conf"), "") << "the rootfs's file was written";
}

TEST_P(RootlessNetworkTest, ContainerInheritsNoNetworkFds) {
  CommandResult result = run_container(with_network({}, {"/probe"}));
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  json report = last_json_line(result.out);
  ASSERT_TRUE(report.is_object()) << result.describe();
  std::vector<std::string> fds;
  for (const auto& [fd, target] : report["fds"].items()) fds.push_back(fd);
  EXPECT_EQ(fds, (std::vector<std::string>{"0", "1", "2"})) << report["fds"].dump();
}

TEST_P(RootlessNetworkTest, HostLoopbackReachableOnlyWhenAllowed) {
  host_loopback_reachable_only_when_allowed();
}

TEST_P(RootlessNetworkTest, PortForwardServesHttp) {
  port_forward_serves_http();
}

TEST_P(RootlessNetworkTest, NothingListensOnHostWithoutPorts) {
  nothing_listens_on_host_without_ports();
}

TEST_P(RootlessNetworkTest, DetachedContainerKeepsNetworkAfterCallerIsKilled) {
  Tweak server =
      container_server("still-here", {{"run.burrow.network.ports", forward_to_port_80()}});
  write_network_config([&](json& config) {
    server(config);
    // The init leads a session of its own (as runc's does), so killing the caller's process
    // group below tests only burrow's own processes.
    config["process"]["args"] = {"httpd", "-f", "-p", "80", "-h", "/srv"};
  });
  // The caller leads its own process group; killing the group would take along anything of
  // burrow's that stayed in it.
  std::string command = shell_quoted(runtime_command({"run", "-d", "--bundle", bundle_, id_})) +
                        " && echo started && exec sleep 600";
  Command caller({"setsid", "/bin/sh", "-c", command}, work_ + "/caller.out",
                 work_ + "/caller.err");
  ASSERT_TRUE(caller.wait_for_output("started", 30s)) << read_text(work_ + "/caller.err");
  ASSERT_NE(outer_http_get_until(kForwardedPort, "still-here", 10s).find("still-here"),
            std::string::npos);
  ASSERT_EQ(::kill(-caller.pid(), SIGKILL), 0);
  caller.wait(5s);
  std::this_thread::sleep_for(500ms);
  json record = network_record(state_root_, id_);
  expect_helpers_alive(record);
  EXPECT_EQ(status_of(runtime({"state", id_})), "running");
  std::string reply = outer_http_get(kForwardedPort);
  EXPECT_NE(reply.find("still-here"), std::string::npos) << reply;
}

TEST_P(RootlessNetworkTest, NoHelperLeftAfterDeleteOfCreatedContainer) {
  no_helper_left_after_delete_of_created_container();
}

TEST_P(RootlessNetworkTest, NoHelperLeftAfterInitIsKilled) {
  no_helper_left_after_init_is_killed();
}

TEST_P(RootlessNetworkTest, NoHelperLeftAfterDeleteForce) {
  no_helper_left_after_delete_force();
}

INSTANTIATE_TEST_SUITE_P(RootlessNetwork, RootlessNetworkTest,
                         ::testing::Combine(::testing::Values("pasta", "slirp4netns"),
                                            ::testing::Values(OuterMapping::caller,
                                                              OuterMapping::root)),
                         [](const auto& info) {
                           return std::get<0>(info.param) +
                                  (std::get<1>(info.param) == OuterMapping::caller ? "_as_caller"
                                                                                   : "_as_root");
                         });

}  // namespace
}  // namespace integration
