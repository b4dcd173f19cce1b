// Docker in a burrow container, without --privileged: Debian's dockerd (with its containerd
// and runc) as the init of a container made with `burrow spec --profile dind`, in a user
// namespace of its own (root = a subordinate uid of the test user) and with its cgroups
// delegated (run.burrow.cgroup.delegate). The host's /usr and /etc are bound read-only; the
// inner daemon's state lives on tmpfs. The inner docker CLI, run through `burrow exec`, must
// run nested containers with their limits and a bridge network between them.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "clients/client_sandbox.hpp"
#include "harness/environment.hpp"

namespace integration::clients {
namespace {

using nlohmann::json;

const std::string kRangeOwner = "burrow-test";  // scripts/setup-test-user gives it a range

// "<first>:<count>" of `user` in /etc/subuid, or empty.
std::string subordinate_range(const std::string& user) {
  std::ifstream subuid("/etc/subuid");
  for (std::string line; std::getline(subuid, line);) {
    if (line.rfind(user + ":", 0) == 0) return line.substr(user.size() + 1);
  }
  return {};
}

class DockerInBurrow : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why_not;
    if (!running_as_root()) GTEST_SKIP() << "needs root";
    if (!runtime_is_burrow()) {
      GTEST_SKIP() << "uses burrow's dind profile and its run.burrow.cgroup.delegate annotation";
    }
    if (!installed("/usr/sbin/dockerd", "dockerd", &why_not)) GTEST_SKIP() << why_not;
    std::string range = subordinate_range(kRangeOwner);
    if (range.empty()) GTEST_SKIP() << "no /etc/subuid range for " << kRangeOwner;
    first_ = std::stoul(range.substr(0, range.find(':')));
    count_ = std::stoul(range.substr(range.find(':') + 1));
    sandbox_.emplace("dind");
    id_ = sandbox_->marker();
    std::string tar = sandbox_->rootfs_tar(&why_not);
    ASSERT_FALSE(tar.empty()) << why_not;
    chmod(tar.c_str(), 0644);
    ASSERT_NO_FATAL_FAILURE(write_bundle());
    // The daemon's output (the container's stdio) goes to a log the test shows on failure.
    auto started = sandbox_->run({"sh", "-c", "exec \"$0\" \"$@\" >'" + log() + "' 2>&1",
                                  runtime_path(), "--root", sandbox_->dir() + "/state", "run", "-d",
                                  "--bundle", bundle(), id_});
    ASSERT_EQ(started.exit_code, 0) << started.describe();
    why_not = wait_for_inner_daemon();
    ASSERT_TRUE(why_not.empty()) << why_not;
  }

  void TearDown() override {
    if (sandbox_) {
      if (HasFailure()) std::cerr << "inner dockerd log:\n" << read_text(log()) << "\n";
      burrow({"delete", "--force", id_});
      sandbox_.reset();
    }
  }

  std::string bundle() const { return sandbox_->dir() + "/bundle"; }
  std::string log() const { return sandbox_->dir() + "/dockerd.log"; }

  CommandResult burrow(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {runtime_path(), "--root", sandbox_->dir() + "/state"};
    argv.insert(argv.end(), args.begin(), args.end());
    return sandbox_->run(argv, 120s);
  }

  // A shell script run by `burrow exec` in the container, where the inner docker CLI lives.
  CommandResult inside(const std::string& script) const {
    return burrow({"exec", id_, "sh", "-c", script});
  }

  // The rootfs holds only mount points and /usr-merged links: the host's /usr and /etc come in
  // read-only, the daemon's state and config dirs are tmpfs, and /images has the test image.
  void write_bundle() {
    std::filesystem::create_directories(bundle());
    auto spec = burrow({"spec", "--profile", "dind", "--bundle", bundle()});
    ASSERT_EQ(spec.exit_code, 0) << spec.describe();
    namespace fs = std::filesystem;
    const std::string rootfs = bundle() + "/rootfs";
    for (const char* dir : {"usr", "etc", "proc", "sys", "dev", "run", "tmp", "root", "opt",
                            "images", "var/lib/docker"}) {
      fs::create_directories(rootfs + "/" + dir);
    }
    for (const char* link : {"bin", "lib", "lib64", "sbin"}) {
      fs::create_symlink(std::string("usr/") + link, rootfs + "/" + link);
    }
    fs::create_symlink("../run", rootfs + "/var/run");
    // The container's root owns its rootfs, so the daemon can make what it needs there.
    for (const auto& entry : fs::recursive_directory_iterator(rootfs)) {
      lchown(entry.path().c_str(), first_, first_);
    }
    lchown(rootfs.c_str(), first_, first_);

    json config = json::parse(read_text(bundle() + "/config.json"));
    config["process"]["terminal"] = false;
    config["process"]["args"] = {"/usr/sbin/dockerd", "-H", "unix:///run/docker.sock", "--exec-opt",
                                 "native.cgroupdriver=cgroupfs"};
    config["process"]["env"].push_back("PATH=/usr/sbin:/usr/bin:/sbin:/bin");
    json map = json::array({{{"containerID", 0}, {"hostID", first_}, {"size", count_}}});
    // The test's own subordinate range instead of the profile's leased one.
    config["annotations"].erase("run.burrow.userns");
    config["linux"]["uidMappings"] = map;
    config["linux"]["gidMappings"] = map;
    config["annotations"]["run.burrow.cgroup.delegate"] = "true";
    config["root"]["readonly"] = false;
    auto bind = [](const std::string& from, const std::string& to) {
      return json{
          {"destination", to}, {"type", "bind"}, {"source", from}, {"options", {"rbind", "ro"}}};
    };
    auto tmpfs = [](const std::string& to, const std::string& mode) {
      return json{{"destination", to},
                  {"type", "tmpfs"},
                  {"source", "tmpfs"},
                  {"options", {"nosuid", "nodev", "mode=" + mode}}};
    };
    for (const json& mount :
         {bind("/usr", "/usr"), bind("/etc", "/etc"), bind(sandbox_->dir(), "/images"),
          tmpfs("/run", "755"), tmpfs("/tmp", "1777"), tmpfs("/var/lib/docker", "711"),
          // The host's /etc/docker (key.json, 0600 root's) is not readable in the namespace.
          tmpfs("/etc/docker", "700")}) {
      config["mounts"].push_back(mount);
    }
    write_text(bundle() + "/config.json", config.dump(2));
  }

  std::string wait_for_inner_daemon() const {
    CommandResult last;
    for (int i = 0; i < 300; ++i) {
      last = inside("docker version >/dev/null");
      if (last.exit_code == 0) return {};
      std::this_thread::sleep_for(200ms);
    }
    return "the inner dockerd did not answer: " + last.describe();
  }

  std::optional<ClientSandbox> sandbox_;
  std::string id_;
  unsigned long first_ = 0, count_ = 0;
};

TEST_F(DockerInBurrow, RunsNestedContainersWithoutPrivileges) {
  auto result = inside(
      "docker import /images/rootfs.tar nested:1 >/dev/null && "
      "docker run --rm nested:1 sh -c 'set -- $(cat /proc/self/uid_map); echo \"$1 $2 $3\"; "
      "echo nested-ok; exit 3'");
  EXPECT_EQ(result.exit_code, 3) << result.describe();
  // The nested container's root is the outer container's root: a subordinate uid on the host.
  EXPECT_EQ(result.out,
            "0 " + std::to_string(first_) + " " + std::to_string(count_) + "\nnested-ok\n")
      << result.describe();
}

TEST_F(DockerInBurrow, NestedLimitsAndBridgeNetworkWork) {
  auto limits = inside(
      "docker import /images/rootfs.tar nested:1 >/dev/null && "
      "docker run --rm -m 64m --memory-swap 64m --pids-limit 20 nested:1 sh -c "
      "'cd /sys/fs/cgroup; if [ -d memory ]; then cat memory/memory.limit_in_bytes "
      "pids/pids.max; else cat memory.max pids.max; fi'");
  ASSERT_EQ(limits.exit_code, 0) << limits.describe();
  EXPECT_EQ(limits.out, "67108864\n20\n") << limits.describe();
  auto network = inside(
      "docker run -d --name web nested:1 sh -c "
      "'echo served-nested > /tmp/i.html; exec httpd -f -p 80 -h /tmp' >/dev/null && "
      "ip=$(docker inspect -f '{{.NetworkSettings.IPAddress}}' web) && "
      "docker run --rm nested:1 wget -qO- http://$ip/i.html; status=$?; "
      "docker rm -f web >/dev/null; exit $status");
  EXPECT_EQ(network.exit_code, 0) << network.describe();
  EXPECT_EQ(network.out, "served-nested\n") << network.describe();
}

}  // namespace
}  // namespace integration::clients
