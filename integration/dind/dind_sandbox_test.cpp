// docker:dind under burrow-sandbox (issue 14): Debian's dockerd, with burrow registered as the
// README's sandbox runtime, runs the dind image from scripts/make-dind-image with and without
// --privileged, on a per-job network as GitLab Runner's docker executor makes one; the job's
// container reaches the inner daemon by its alias, and the inner daemon runs containers with
// their own memory limits. The inner daemon's processes are an unprivileged uid on the host.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "clients/client_sandbox.hpp"
#include "dind/dind_images.hpp"
#include "harness/environment.hpp"

namespace integration::dind {
namespace {

using clients::ClientSandbox;
using nlohmann::json;
using namespace std::chrono_literals;

const std::string kDockerCli = "/usr/bin/docker";
const std::string kDockerd = "/usr/sbin/dockerd";
const std::string kSandbox = "burrow-sandbox";
const std::string kBusybox = "burrow-test/busybox:latest";

// The host uid of process `pid` (its real uid), or -1.
long host_uid_of(const std::string& pid) {
  std::ifstream status("/proc/" + pid + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("Uid:", 0) == 0) return std::stol(line.substr(4));
  return -1;
}

class DindSandbox : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why_not;
    if (!running_as_root()) GTEST_SKIP() << "needs root (mmdebstrap, dockerd)";
    if (!runtime_is_burrow()) GTEST_SKIP() << "sandbox mode is burrow's own";
    if (!clients::installed(kDockerd, "dockerd", &why_not) ||
        !clients::installed(kDockerCli, "docker CLI", &why_not))
      GTEST_SKIP() << why_not;
    const Images& built = dind_images(DIND_TEST_DIR);
    if (!built.skip.empty()) GTEST_SKIP() << built.skip;
    ASSERT_TRUE(built.error.empty()) << built.error;
    sandbox_.emplace("dindsbx");
    socket_ = "unix://" + sandbox_->dir() + "/docker.sock";
    json config = {
        {"runtimes", {{kSandbox, {{"path", runtime_path()}, {"runtimeArgs", {"--sandbox"}}}}}},
        {"exec-opts", {"native.cgroupdriver=cgroupfs"}},
        {"cgroup-parent", sandbox_->marker()}};
    write_text(sandbox_->dir() + "/daemon.json", config.dump(2));
    sandbox_->start_daemon({kDockerd, "--config-file", sandbox_->dir() + "/daemon.json",
                            "--data-root", sandbox_->dir() + "/data", "--exec-root",
                            sandbox_->dir() + "/exec", "-H", socket_, "--pidfile",
                            sandbox_->dir() + "/docker.pid"});
    why_not = sandbox_->wait_ready({kDockerCli, "-H", socket_, "version"}, 60s);
    if (!why_not.empty()) GTEST_SKIP() << "dockerd cannot start here: " << why_not;
    for (const std::string& archive : {built.dind, built.cli}) {
      auto loaded = docker({"load", "-i", archive});
      ASSERT_EQ(loaded.exit_code, 0) << loaded.describe();
    }
    std::string tar = sandbox_->rootfs_tar(&why_not);
    ASSERT_FALSE(tar.empty()) << why_not;
    auto imported = docker({"import", tar, kBusybox});
    ASSERT_EQ(imported.exit_code, 0) << imported.describe();
  }

  void TearDown() override {
    if (HasFailure() && sandbox_)
      std::cerr << "dockerd log tail:\n" << sandbox_->daemon_log_tail() << "\n";
    if (sandbox_ && !socket_.empty()) {
      auto listed = docker({"ps", "-aq"});
      std::vector<std::string> remove = {"rm", "-f"};
      std::istringstream ids(listed.out);
      for (std::string id; ids >> id;) remove.push_back(id);
      if (remove.size() > 2) docker(remove);
    }
    sandbox_.reset();
  }

  CommandResult docker(std::vector<std::string> args, std::chrono::milliseconds timeout = 300s) {
    args.insert(args.begin(), {kDockerCli, "-H", socket_});
    return sandbox_->run(args, timeout);
  }

  // The runner's sequence: a job network, the service detached with alias `docker`, then
  // `docker info` from a job container on that network, until it answers.
  void start_service(const std::vector<std::string>& extra) {
    auto network = docker({"network", "create", "job-net"});
    ASSERT_EQ(network.exit_code, 0) << network.describe();
    std::vector<std::string> args = {
        "run",       "-d",      "--name",          "dind",   "--runtime", kSandbox,
        "--network", "job-net", "--network-alias", "docker", "-e",        "DOCKER_TLS_CERTDIR="};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("docker:dind");
    auto started = docker(args);
    ASSERT_EQ(started.exit_code, 0) << started.describe();
    CommandResult info;
    for (int i = 0; i < 60; ++i) {
      info = job({"docker", "info", "--format", "{{.ServerVersion}} {{.CgroupDriver}}"});
      if (info.exit_code == 0) break;
      std::this_thread::sleep_for(500ms);
    }
    ASSERT_EQ(info.exit_code, 0) << info.describe() << docker({"logs", "dind"}).describe();
    EXPECT_NE(info.out.find("20.10"), std::string::npos) << info.describe();
  }

  // A command in a job container (docker:cli, plain runtime) on the job network.
  CommandResult job(const std::vector<std::string>& command) {
    std::vector<std::string> args = {"run", "--rm", "--network", "job-net"};
    args.insert(args.end(), job_env_.begin(), job_env_.end());
    args.push_back("docker:cli");
    args.insert(args.end(), command.begin(), command.end());
    return docker(args);
  }

  // How the job reaches the service: plain tcp on 2375 unless a test says otherwise.
  std::vector<std::string> job_env_ = {"-e", "DOCKER_HOST=tcp://docker:2375"};

  // Inner runs: busybox loaded into the inner daemon, then `docker run` there.
  void expect_inner_containers_work() {
    auto loaded = sandbox_->run({"sh", "-c",
                                 kDockerCli + " -H " + socket_ + " save " + kBusybox + " | " +
                                     kDockerCli + " -H " + socket_ + " exec -i dind docker load"},
                                300s);
    ASSERT_EQ(loaded.exit_code, 0) << loaded.describe();
    auto hi = job({"docker", "run", "--rm", kBusybox, "echo", "inner hi"});
    EXPECT_EQ(hi.exit_code, 0) << hi.describe();
    EXPECT_EQ(hi.out, "inner hi\n") << hi.describe();
    auto hog = job({"docker", "run", "--rm", "-m", "32m", "--memory-swap", "32m", kBusybox, "sh",
                    "-c", "x=$(head -c 100000000 /dev/zero | tr '\\0' a); echo survived"});
    EXPECT_EQ(hog.exit_code, 137) << hog.describe();
    EXPECT_EQ(hog.out.find("survived"), std::string::npos) << hog.describe();
    // From the host's side, the inner daemon is an unprivileged uid (the leased range).
    auto pid = docker({"inspect", "-f", "{{.State.Pid}}", "dind"});
    ASSERT_EQ(pid.exit_code, 0) << pid.describe();
    std::string init = pid.out.substr(0, pid.out.find('\n'));
    EXPECT_GE(host_uid_of(init), 65536)
        << "the dind container's init runs as host uid " << host_uid_of(init);
  }

  std::optional<ClientSandbox> sandbox_;
  std::string socket_;
};

TEST_F(DindSandbox, DockerDindRunsWithoutPrivileged) {
  ASSERT_NO_FATAL_FAILURE(start_service({}));
  expect_inner_containers_work();
}

TEST_F(DindSandbox, DockerDindRunsWithPrivilegedPrivilegedInsideOnly) {
  ASSERT_NO_FATAL_FAILURE(start_service({"--privileged"}));
  expect_inner_containers_work();
}

// GitLab's TLS setup: DOCKER_TLS_CERTDIR=/certs in the service, a volume at /certs/client in the
// service and the job. The service's root (a leased uid) writes the certificates into the
// volume (idmapped: root-owned on the host), the job reads them and builds an image over TLS.
TEST_F(DindSandbox, TlsCertificatesReachTheJobThroughAVolumeAndItBuilds) {
  auto volume = docker({"volume", "create", "certs-client"});
  ASSERT_EQ(volume.exit_code, 0) << volume.describe();
  job_env_ = {"-e", "DOCKER_HOST=tcp://docker:2376",  "-e", "DOCKER_TLS_VERIFY=1",
              "-e", "DOCKER_CERT_PATH=/certs/client", "-v", "certs-client:/certs/client:ro"};
  ASSERT_NO_FATAL_FAILURE(
      start_service({"-e", "DOCKER_TLS_CERTDIR=/certs", "-v", "certs-client:/certs/client"}));
  auto loaded = sandbox_->run({"sh", "-c",
                               kDockerCli + " -H " + socket_ + " save " + kBusybox + " | " +
                                   kDockerCli + " -H " + socket_ + " exec -i dind docker load"},
                              300s);
  ASSERT_EQ(loaded.exit_code, 0) << loaded.describe();
  auto built = job({"sh", "-c",
                    "mkdir /tmp/ctx && printf 'FROM " + kBusybox +
                        "\\nRUN echo built > /built\\n' > /tmp/ctx/Dockerfile && "
                        "DOCKER_BUILDKIT=0 docker build -q -t job-image /tmp/ctx >/dev/null && "
                        "docker run --rm job-image cat /built"});
  EXPECT_EQ(built.exit_code, 0) << built.describe();
  EXPECT_EQ(built.out, "built\n") << built.describe();
}

}  // namespace
}  // namespace integration::dind
