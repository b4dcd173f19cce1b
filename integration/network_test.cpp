// Per-container networking (run.burrow.network*): pasta and slirp4netns attached to the
// container's network namespace. Every test runs inside a network namespace of its own (the
// test process unshares one and returns to its own afterwards), so the host's network is never
// touched: the "host" below is that namespace, with loopback and a veth pair carrying a default
// route (pasta needs an interface with one to copy). harness/network.hpp holds what these tests
// share with the rootless tier's (integration/rootless/rootless_network_test.cpp).
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "harness/container_test.hpp"
#include "harness/network.hpp"
#include "harness/network_scenarios.hpp"

namespace integration {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

class NetworkTest : public ContainerTest,
                    public NetworkScenarios,
                    public ::testing::WithParamInterface<std::string> {
 protected:
  ScenarioContainer scenario_container() const override {
    return {GetParam(), id_, bundle_, state_root_, work_};
  }
  void write_scenario_config(const Tweak& tweak) override { write_config(tweak); }
  CommandResult scenario_runtime(const std::vector<std::string>& args) override {
    return runtime(args);
  }
  std::string host_http_get(int port) override { return http_get(port); }
  std::vector<std::string> host_listeners() override { return tcp_listeners(); }

  void SetUp() override {
    ContainerTest::SetUp();
    if (IsSkipped()) return;
    if (!runtime_is_burrow()) GTEST_SKIP() << "run.burrow.network annotations are burrow's own";
    if (helper_path(GetParam()).empty()) GTEST_SKIP() << GetParam() << " is not installed";
    if (::access("/dev/net/tun", R_OK | W_OK) != 0)
      GTEST_SKIP() << "/dev/net/tun is not usable (scripts/setup fixes its mode)";
    enter_outer_namespace();
  }

  void TearDown() override {
    host_server_.reset();
    ContainerTest::TearDown();  // delete -f runs inside the outer namespace
    if (own_netns_ >= 0) {
      EXPECT_EQ(::setns(own_netns_, CLONE_NEWNET), 0) << "return to the test's network namespace";
      ::close(own_netns_);
    }
  }

  void enter_outer_namespace() {
    own_netns_ = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(own_netns_, 0);
    ASSERT_EQ(::unshare(CLONE_NEWNET), 0) << "unshare network namespace";
    for (const auto& args : outer_network_setup()) {
      CommandResult result = run_command(args, work_);
      ASSERT_EQ(result.exit_code, 0) << result.describe();
    }
  }

  Tweak with_network(std::map<std::string, std::string> annotations,
                     std::vector<std::string> args) {
    return integration::with_network(GetParam(), annotations, args);
  }

  // A busybox httpd serving `page` on 127.0.0.1:kHostServerPort of the outer namespace.
  void start_host_server(const std::string& page) override {
    host_server_ = std::make_unique<Command>(host_server_command(work_ + "/host-www", page),
                                             work_ + "/host-httpd.out", work_ + "/host-httpd.err");
    ASSERT_NE(http_get_until(kHostServerPort, page, 5s).find(page), std::string::npos);
  }

  // A container config running busybox httpd on port 80, serving `page` from a bind mount.
  Tweak container_server(const std::string& page, std::map<std::string, std::string> annotations) {
    return integration::container_server(work_, page, GetParam(), annotations);
  }

  json network_record(const std::string& id) {
    return integration::network_record(state_root_, id);
  }

  int own_netns_ = -1;
  std::unique_ptr<Command> host_server_;
};

TEST_P(NetworkTest, ConfiguresInterfaceAndResolver) {
  CommandResult result = run_container(
      with_network({{"run.burrow.network.mtu", "1500"}},
                   {"/bin/sh", "-c", "cat /etc/resolv.conf; ip addr show eth0; ip route"}));
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.out.find("nameserver 10.0.2.3"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("mtu 1500"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("inet 10.0.2.100/24"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("default via 10.0.2.2"), std::string::npos) << result.out;
  // The rootfs's own (empty) resolv.conf was mounted over, not written.
  EXPECT_EQ(read_text(rootfs_ + "/etc/resolv.conf"), "");
}

// None of the watcher's or helper's fds (namespaces, pidfds, pipes, sockets) reach the container.
TEST_P(NetworkTest, ContainerInheritsNoNetworkFds) {
  json report = probe_json([&](json& config) { with_network({}, {"/probe"})(config); });
  std::vector<std::string> fds;
  for (const auto& [fd, target] : report["fds"].items()) fds.push_back(fd);
  EXPECT_EQ(fds, (std::vector<std::string>{"0", "1", "2"})) << report["fds"].dump();
}

// The helper joins the container's user namespace too (pasta --userns, slirp4netns
// --userns-path), as it will for rootless containers; the init, root of that namespace only,
// reaches the generated resolv.conf through an fd, not through the state dir.
TEST_P(NetworkTest, WorksInContainerWithUserNamespace) {
  start_host_server("hello-from-host");
  Tweak network = with_network(
      {{"run.burrow.network.host-loopback", "true"}},
      {"/bin/sh", "-c",
       "cat /proc/self/uid_map /etc/resolv.conf; timeout 5 wget -q -O - http://10.0.2.2:" +
           std::to_string(kHostServerPort) + "/"});
  CommandResult result = run_container([&](json& config) {
    network(config);
    config["linux"]["namespaces"].push_back({{"type", "user"}});
    json mapping = json::array({{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}});
    config["linux"]["uidMappings"] = mapping;
    config["linux"]["gidMappings"] = mapping;
  });
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_NE(squeeze_blanks(result.out).find("0 100000 65536"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("nameserver 10.0.2.3"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("hello-from-host"), std::string::npos) << result.describe();
}

TEST_P(NetworkTest, HostLoopbackReachableOnlyWhenAllowed) {
  host_loopback_reachable_only_when_allowed();
}

TEST_P(NetworkTest, PortForwardServesHttp) {
  port_forward_serves_http();
}

TEST_P(NetworkTest, NothingListensOnHostWithoutPorts) {
  nothing_listens_on_host_without_ports();
}

TEST_P(NetworkTest, DetachedContainerKeepsNetworkAfterCallerIsKilled) {
  std::string forward = forward_to_port_80();
  Tweak server = container_server("still-here", {{"run.burrow.network.ports", forward}});
  write_config([&](json& config) {
    server(config);
    // The init leads a session of its own (as runc's does), so killing the caller's process
    // group below tests only burrow's own processes.
    config["process"]["args"] = {"httpd", "-f", "-p", "80", "-h", "/srv"};
  });
  // The caller leads its own process group; killing the group would take along anything of
  // burrow's that stayed in it.
  std::string command = "'" + runtime_path() + "' --root '" + state_root_ + "' run -d --bundle '" +
                        bundle_ + "' " + id_ + " && echo started && exec sleep 600";
  Command caller({"setsid", "/bin/sh", "-c", command}, work_ + "/caller.out",
                 work_ + "/caller.err");
  ASSERT_TRUE(caller.wait_for_output("started", 30s)) << read_text(work_ + "/caller.err");
  ASSERT_NE(http_get_until(kForwardedPort, "still-here", 10s).find("still-here"),
            std::string::npos);
  ASSERT_EQ(::kill(-caller.pid(), SIGKILL), 0);
  caller.wait(5s);
  std::this_thread::sleep_for(500ms);
  json record = network_record(id_);
  expect_helpers_alive(record);
  EXPECT_EQ(container_status(id_), "running");
  std::string reply = http_get(kForwardedPort);
  EXPECT_NE(reply.find("still-here"), std::string::npos) << reply;
}

TEST_P(NetworkTest, NoHelperLeftAfterDeleteOfCreatedContainer) {
  no_helper_left_after_delete_of_created_container();
}

TEST_P(NetworkTest, NoHelperLeftAfterInitIsKilled) {
  no_helper_left_after_init_is_killed();
}

TEST_P(NetworkTest, NoHelperLeftAfterDeleteForce) {
  no_helper_left_after_delete_force();
}

TEST_P(NetworkTest, HelperFailureFailsCreateAndLeavesNothing) {
  // The forward's host port is taken: the helper cannot bind it.
  int taken = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(kForwardedPort);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(taken, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(taken, 1), 0);
  std::string forward = forward_to_port_80();
  CommandResult result =
      run_container(with_network({{"run.burrow.network.ports", forward}}, {"/bin/true"}));
  ::close(taken);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("run.burrow.network=" + GetParam() + ": "), std::string::npos)
      << result.describe();
  EXPECT_FALSE(fs::exists(state_root_ + "/" + id_)) << "state dir left behind";
  EXPECT_EQ(tcp_listeners(), std::vector<std::string>{});
}

// create fails after the helper is up (the pid file cannot be written): the helper and its
// watcher are stopped before create returns.
TEST_P(NetworkTest, LaterCreateFailureStopsHelper) {
  std::string forward = forward_to_port_80();
  write_config(with_network({{"run.burrow.network.ports", forward}}, {"/bin/true"}));
  CommandResult result =
      runtime({"create", "--bundle", bundle_, "--pid-file", work_ + "/missing/dir/pid", id_});
  EXPECT_NE(result.exit_code, 0) << result.describe();
  // The watcher's command line is create's (it names the id); the helper's names the state dir.
  EXPECT_EQ(processes_mentioning(id_), std::vector<pid_t>{}) << result.describe();
  EXPECT_EQ(tcp_listeners(), std::vector<std::string>{});
}

TEST_P(NetworkTest, RefusedWithoutNewNetworkNamespace) {
  CommandResult result = run_container([&](json& config) {
    with_network({}, {"/bin/true"})(config);
    auto& namespaces = config["linux"]["namespaces"];
    for (auto it = namespaces.begin(); it != namespaces.end(); ++it) {
      if ((*it)["type"] == "network") {
        namespaces.erase(it);
        break;
      }
    }
  });
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("annotation run.burrow.network=" + GetParam() +
                            ": needs a new network namespace"),
            std::string::npos)
      << result.describe();
}

TEST_P(NetworkTest, BadAnnotationNamesIt) {
  CommandResult result =
      run_container(with_network({{"run.burrow.network.mtu", "9x"}}, {"/bin/true"}));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("annotation run.burrow.network.mtu: invalid value \\\"9x\\\""),
            std::string::npos)
      << result.describe();
}

INSTANTIATE_TEST_SUITE_P(Network, NetworkTest, ::testing::Values("pasta", "slirp4netns"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace integration
