// The fixture of the Docker-in-Docker job tests (labels dind and shim; the isolation proof also
// security): the dind images of scripts/make-dind-image imported into the shim's store, a
// workspace with busybox as a docker archive, and what the host shows before the job, to tell
// what of the inner daemon is left after it.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "dind/dind_images.hpp"
#include "harness/command.hpp"
#include "harness/environment.hpp"
#include "shim/shim_fixture.hpp"

namespace integration::shim {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline constexpr uint32_t kRangeSize = 65536;

// GitLab's docs: "Docker-in-Docker with TLS enabled in the Docker executor".
inline std::string dind_ci(const std::string& marker, const std::string& script,
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

inline std::string without_counters(const std::string& text) {
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

inline HostView host_view(const std::string& dir) {
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
      // Other tests on the machine mount and unmount meanwhile (private dockerds of their own
      // under /tmp among them, with their netns files): what counts is a mount at a path the
      // inner daemon uses (its data and exec roots, its netns files, `ip netns`'s dir) or under
      // this test's dirs (the job dir's binds).
      bool inner = mount.rfind("/run/netns", 0) == 0 || mount.rfind("/var/run/netns", 0) == 0 ||
                   mount.rfind("/var/lib/docker", 0) == 0 || mount.rfind("/run/docker", 0) == 0 ||
                   mount.rfind("/var/run/docker", 0) == 0 ||
                   mount.rfind("/var/lib/containerd", 0) == 0 ||
                   mount.rfind("/run/containerd", 0) == 0 || mount.find(work_) != std::string::npos;
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

}  // namespace integration::shim
