// Docker-in-Docker as a user runs it (issue 13, deliverables 3 and 5; labels dind and shim):
// `burrow-shim run` of a .gitlab-ci.yml with `services: [docker:dind]` and the variables of
// GitLab's docs (DOCKER_HOST tcp://docker:2376, DOCKER_TLS_CERTDIR /certs), the job in
// docker:cli (both images from scripts/make-dind-image). One job does what a user's job does,
// and each step is asserted on its output: the client certificates there when the script starts,
// `docker info` over TLS, `docker load` of a busybox archive from the workspace, `docker run`,
// `docker build`, a memory hog OOM-killed in its 32 MB inside the job's own limit, and a port
// published with `-p` reached from the job. After it, and after jobs that fail, time out or
// whose shim is SIGKILLed (then `burrow-shim cleanup`) with inner containers still running,
// nothing of the inner daemon is left on the host: no process of the pod's ids, no mount, no
// cgroup, no iptables rule in the host's namespaces, no file of the pod's ids outside the job's
// scratch dir (which is gone).
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "dind/dind_images.hpp"
#include "harness/command.hpp"
#include "harness/environment.hpp"
#include "shim/shim_fixture.hpp"

namespace integration::shim {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr uint32_t kRangeSize = 65536;

// GitLab's docs: "Docker-in-Docker with TLS enabled in the Docker executor".
std::string dind_ci(const std::string& marker, const std::string& script,
                    const std::string& job_keys) {
  return "variables:\n"
         "  BURROW_TEST_ID: " +
         marker +
         "\n"
         "  DOCKER_HOST: tcp://docker:2376\n"
         "  DOCKER_TLS_CERTDIR: \"/certs\"\n"
         "  DOCKER_TLS_VERIFY: 1\n"
         "  DOCKER_CERT_PATH: \"$DOCKER_TLS_CERTDIR/client\"\n"
         "build:\n"
         "  image: docker:cli\n"
         "  services:\n"
         "    - docker:dind\n" +
         job_keys + "  script:\n" + script;
}

// What the host shows of state the inner daemon could leave in the host's namespaces.
struct HostView {
  std::set<std::string> mounts;  // "POINT (TYPE) ROOT" of each host mount
  std::string iptables;          // iptables-save and ip6tables-save, without counters
};

std::string without_counters(const std::string& text) {
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (size_t bracket = line.find(" ["); line[0] == ':' && bracket != std::string::npos)
      line = line.substr(0, bracket);
    out += line + "\n";
  }
  return out;
}

HostView host_view(const std::string& dir) {
  HostView view;
  std::ifstream mountinfo("/proc/self/mountinfo");
  for (std::string line; std::getline(mountinfo, line);) {
    std::istringstream fields(line);
    std::string id, parent, devices, root, point, field;
    fields >> id >> parent >> devices >> root >> point;
    while (fields >> field && field != "-") {
    }
    std::string type;
    fields >> type;
    view.mounts.insert(point + " (" + type + ") " + root);
  }
  for (const char* tool : {"iptables-save", "ip6tables-save"}) {
    auto saved = run_command({tool}, dir, 30s);
    view.iptables += without_counters(saved.out);
  }
  return view;
}

class DindJob : public ShimTest {
 protected:
  void SetUp() override {
    if (!running_as_root())
      GTEST_SKIP() << "dind jobs run as root here; rootless dind jobs are not wired yet";
    ShimTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    const dind::Images& built = dind::dind_images(DIND_SHIM_TEST_DIR);
    if (!built.skip.empty()) GTEST_SKIP() << built.skip;
    ASSERT_TRUE(built.error.empty()) << built.error;
    auto imported =
        run_command({shim_binary(), "image", "import", "--images", images_, built.dind, built.cli},
                    work_, 300s);
    ASSERT_EQ(imported.exit_code, 0) << imported.describe();
    workspace_ = work_ + "/workspace";
    fs::create_directories(workspace_);
    std::string why_not;
    std::string rootfs = shared_rootfs(&why_not);
    ASSERT_FALSE(rootfs.empty()) << why_not;
    // The inner daemon's image: busybox (and the probe) as `busybox:latest`, a docker archive.
    auto made = run_command({BURROW_SOURCE_DIR "/scripts/make-image-archive", rootfs,
                             "busybox:latest", workspace_ + "/busybox.tar"},
                            work_, 120s);
    ASSERT_EQ(made.exit_code, 0) << made.describe();
    before_ = host_view(work_);
    stamp_ = work_ + "/stamp";
    write_text(stamp_, "");
  }

  std::vector<std::string> options() const {
    return {"--workspace", workspace_, "--memory", "512m", "--service-wait", "60", "--grace", "2"};
  }

  CommandResult run_dind_job(const std::string& script, const std::string& job_keys = "") {
    write_ci(dind_ci(marker_, script, job_keys));
    return run_job("build", options(), 600s);
  }

  // The pod's first host uid, from the job's `cat /proc/self/uid_map` line ("0 HOST 65536").
  static uint32_t pod_host_uid(const std::string& out) {
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
      std::istringstream fields(line);
      uint32_t inside = 1, host = 0, size = 0;
      if (fields >> inside >> host >> size && inside == 0 && size == kRangeSize) return host;
    }
    return 0;
  }

  // What of the inner daemon is left on the host, beyond the shim fixture's checks (job dir,
  // mounts under the test dir, marked processes, the job's cgroups).
  std::string inner_daemon_leftovers(uint32_t host_uid) const {
    std::ostringstream left;
    for (const auto& entry : fs::directory_iterator("/proc")) {
      std::string pid = entry.path().filename().string();
      if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
      std::ifstream status(entry.path() / "status");
      for (std::string line; std::getline(status, line);) {
        if (line.rfind("Uid:", 0) != 0) continue;
        std::istringstream fields(line.substr(4));
        uint32_t uid = 0;
        fields >> uid;
        if (uid < host_uid || uid >= host_uid + kRangeSize) continue;
        // A job of another test run (another scratch root, an older shim) may hold these ids:
        // a process in another job's cgroups is that job's.
        std::string cgroups = read_text(entry.path().string() + "/cgroup");
        bool ours = cgroups.find("burrow-shim-" + job_id_) != std::string::npos;
        if (ours || cgroups.find("burrow-shim-") == std::string::npos)
          left << "process " << pid << " (uid " << uid << ")\n";
      }
    }
    HostView after = host_view(work_);
    for (const auto& mount : after.mounts) {
      if (before_.mounts.count(mount)) continue;
      // Other tests on the machine mount and unmount meanwhile: what counts is a mount of the
      // inner daemon's (a namespace file, a docker or containerd path) or of this test's dirs.
      bool inner = mount.find(" (nsfs) ") != std::string::npos ||
                   mount.find("docker") != std::string::npos ||
                   mount.find("containerd") != std::string::npos ||
                   mount.find(work_) != std::string::npos;
      if (inner) left << "host mount " << mount << "\n";
    }
    if (after.iptables != before_.iptables)
      left << "iptables changed:\n--- before\n"
           << before_.iptables << "--- after\n"
           << after.iptables;
    // Files of the pod's ids written outside the scratch dir (which is gone) since the job began.
    auto found = run_command(
        {"find", "/var", "/tmp", "/run", "/etc", "/root", "/home", "/srv", "/opt", "-xdev",
         // Job dirs of other shim test runs and of the default scratch root are
         // other jobs' (this job's is checked gone by leftovers()).
         "(", "-name", "burrow-shim-it*", "-o", "-path", "/var/lib/burrow/jobs", ")", "-prune",
         "-o", "-newer", stamp_, "-uid", "+" + std::to_string(host_uid - 1), "-uid",
         "-" + std::to_string(host_uid + kRangeSize), "-print"},
        work_, 120s);
    if (!found.out.empty()) left << "files of the pod's ids:\n" << found.out;
    return left.str();
  }

  // The host uids of this job's processes (in its cgroups), by command name.
  std::map<std::string, std::set<uint32_t>> job_process_uids() const {
    std::map<std::string, std::set<uint32_t>> uids;
    for (const auto& entry : fs::directory_iterator("/proc")) {
      std::string pid = entry.path().filename().string();
      if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
      std::string cgroups = read_text(entry.path().string() + "/cgroup");
      if (cgroups.find("burrow-shim-" + job_id_) == std::string::npos) continue;
      std::string comm = read_text(entry.path().string() + "/comm");
      if (!comm.empty() && comm.back() == '\n') comm.pop_back();
      std::ifstream status(entry.path() / "status");
      for (std::string line; std::getline(status, line);) {
        if (line.rfind("Uid:", 0) != 0) continue;
        std::istringstream fields(line.substr(4));
        uint32_t uid = 0;
        if (fields >> uid) uids[comm].insert(uid);
      }
    }
    return uids;
  }

  // Shows the service's log on failure: it is in the job dir, gone by now, so the job log's
  // system notes and output are what is left.
  std::string describe(const CommandResult& result) const {
    return result.describe() + "\njob log stdout:\n" + log_stream("stdout");
  }

  std::string workspace_;
  std::string stamp_;
  HostView before_;
};

TEST_F(DindJob, DockerInfoLoadRunBuildOomAndPublishedPortAllWorkAndLeaveNothing) {
  auto result = run_dind_job(R"yaml(
    - ls $DOCKER_CERT_PATH | tr '\n' ' '; echo
    - cat /proc/self/uid_map
    - docker info --format 'server={{.ServerVersion}} cgroup={{.CgroupDriver}}'
    - docker load -i busybox.tar
    - docker run --rm busybox echo hi
    - printf 'FROM busybox\nRUN echo built-in-burrow > /built\n' > Dockerfile
    - docker build -q -t built . > /dev/null
    - docker run --rm built cat /built
    - docker run -m 32m --name hog busybox sh -c 'a=x; while :; do a=$a$a; done' || echo "hog exit=$?"
    - echo "hog oom=$(docker inspect -f '{{.State.OOMKilled}}' hog)"
    - docker run -d -p 8080:80 --name web busybox sh -c 'mkdir /www && echo served-by-inner > /www/index.html && exec httpd -f -p 80 -h /www' > /dev/null
    - for i in $(seq 100); do wget -qO- http://docker:8080/ 2>/dev/null && break; sleep 0.1; done
)yaml");
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  const std::string& out = result.out;
  // The job waited for the client set: all three there when the script began.
  EXPECT_NE(out.find("\nca.pem cert.pem key.pem \n"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("server=20.10"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("cgroup=cgroupfs"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("Loaded image: busybox:latest\n"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("\nhi\n"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("\nbuilt-in-burrow\n"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("hog exit=137\n"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("hog oom=true\n"), std::string::npos) << describe(result);
  EXPECT_NE(out.find("\nserved-by-inner\n"), std::string::npos) << describe(result);
  // The job itself was not what the OOM killer took.
  EXPECT_EQ(summary().value("oom_killed", true), false) << summary().dump();
  uint32_t host_uid = pod_host_uid(out);
  ASSERT_GE(host_uid, 1u << 30) << describe(result);
  EXPECT_EQ(leftovers(), "");
  EXPECT_EQ(inner_daemon_leftovers(host_uid), "");
}

// GitLab's "TLS disabled" form: DOCKER_TLS_CERTDIR empty, the daemon on tcp 2375 (reached by an
// alias), the service given as a map with `profile: dind`, entrypoint and command.
TEST_F(DindJob, WithoutTlsThePlainPortServesAndNoCertsAreShared) {
  write_ci(
      "variables:\n"
      "  BURROW_TEST_ID: " +
      marker_ + R"yaml(
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  image: docker:cli
  services:
    - name: docker:dind
      alias: dockerd-here
      entrypoint: ["/usr/local/bin/dockerd-entrypoint.sh"]
      command: ["--mtu", "1400"]
      profile: dind
  script:
    - test ! -e /certs/client && echo no-client-certs
    - docker -H tcp://dockerd-here:2375 info --format 'server={{.ServerVersion}}'
    - docker load -i busybox.tar > /dev/null
    - docker run --rm busybox echo plain-hi
)yaml");
  auto result = run_job("build", options(), 600s);
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_NE(result.out.find("\nno-client-certs\n"), std::string::npos) << describe(result);
  EXPECT_NE(result.out.find("server=20.10"), std::string::npos) << describe(result);
  EXPECT_NE(result.out.find("\nplain-hi\n"), std::string::npos) << describe(result);
  EXPECT_NE(result.err.find("Service docker:dind runs with profile dind (Docker-in-Docker)"),
            std::string::npos)
      << describe(result);
  EXPECT_EQ(leftovers(), "");
}

TEST_F(DindJob, AFailedJobWithInnerContainersRunningLeavesNothing) {
  auto result = run_dind_job(R"yaml(
    - cat /proc/self/uid_map
    - docker load -i busybox.tar > /dev/null
    - docker run -d --name sleeper busybox sleep 1000 > /dev/null
    - docker run -d -p 8081:80 --name web busybox httpd -f -p 80 > /dev/null
    - echo "running=$(docker ps -q | wc -l)"
    - exit 3
)yaml");
  ASSERT_EQ(result.exit_code, 3) << describe(result);
  EXPECT_NE(result.out.find("running=2\n"), std::string::npos) << describe(result);
  uint32_t host_uid = pod_host_uid(result.out);
  ASSERT_GE(host_uid, 1u << 30) << describe(result);
  EXPECT_EQ(leftovers(), "");
  EXPECT_EQ(inner_daemon_leftovers(host_uid), "");
}

TEST_F(DindJob, ATimedOutJobWithInnerContainersRunningLeavesNothing) {
  auto result = run_dind_job(R"yaml(
    - cat /proc/self/uid_map
    - docker load -i busybox.tar > /dev/null
    - docker run -d --name sleeper busybox sleep 1000 > /dev/null
    - echo started; docker wait sleeper
)yaml",
                             "  timeout: 20 seconds\n");
  ASSERT_EQ(result.exit_code, 243) << describe(result);
  EXPECT_NE(result.out.find("started\n"), std::string::npos) << describe(result);
  EXPECT_EQ(summary()["timed_out"], true) << summary().dump();
  uint32_t host_uid = pod_host_uid(result.out);
  ASSERT_GE(host_uid, 1u << 30) << describe(result);
  EXPECT_EQ(leftovers(), "");
  EXPECT_EQ(inner_daemon_leftovers(host_uid), "");
}

// The shim SIGKILLed mid-job: the pod (and with its pid namespace every inner container) dies
// with it, and `burrow-shim cleanup` removes the rest, the inner daemon's data dir included.
TEST_F(DindJob, SigkillOfTheShimThenCleanupLeavesNothing) {
  write_ci(dind_ci(marker_, R"yaml(
    - cat /proc/self/uid_map
    - docker load -i busybox.tar > /dev/null
    - docker run -d --name sleeper busybox sleep 1000 > /dev/null
    - echo started; docker wait sleeper
)yaml",
                   ""));
  auto shim = start_job("build", options());
  ASSERT_TRUE(shim->wait_for_output("started", 120s)) << read_text(work_ + "/shim.err");
  // Seen from the host while it runs: the inner daemon and the inner container's process run
  // as the pod's root, an unprivileged host uid of the job's range, in the job's cgroups.
  std::string running = read_text(work_ + "/shim.out");
  uint32_t pod_uid = pod_host_uid(running);
  ASSERT_GE(pod_uid, 1u << 30) << running;
  std::map<std::string, std::set<uint32_t>> uids = job_process_uids();
  EXPECT_EQ(uids["dockerd"], std::set<uint32_t>{pod_uid}) << running;
  EXPECT_EQ(uids["containerd"], std::set<uint32_t>{pod_uid}) << running;
  EXPECT_EQ(uids["sleep"], std::set<uint32_t>{pod_uid}) << running;  // the inner container's
  shim->send_signal(SIGKILL);
  CommandResult killed = shim->wait(10s);
  uint32_t host_uid = pod_host_uid(killed.out);
  ASSERT_EQ(host_uid, pod_uid) << killed.describe();
  std::this_thread::sleep_for(2s);
  CommandResult cleanup =
      run_command({shim_binary(), "cleanup", "--scratch", scratch_}, work_, 120s);
  EXPECT_EQ(cleanup.exit_code, 0) << cleanup.describe();
  EXPECT_NE(cleanup.out.find("removed "), std::string::npos) << cleanup.describe();
  EXPECT_EQ(leftovers(), "");
  EXPECT_EQ(inner_daemon_leftovers(host_uid), "");
}

}  // namespace
}  // namespace integration::shim
