// Cgroup delegation (run.burrow.cgroup.delegate=true): the container's cgroups are its own to
// organise (child cgroups, moving its processes, enabling controllers below itself), its limits
// are not; delete removes what it made; exec still lands in the container once the container has
// made its own cgroup v2 unable to hold processes. Host tier: cgroup v1 plus the hybrid cgroup2;
// tests named V2* also run in the VM tier on a full cgroup v2. The limits staying out of reach on
// v1 is a security regression (security/host_resources_test.cpp).
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

bool host_is_cgroup2() {
  struct statfs st {};
  return ::statfs("/sys/fs/cgroup", &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
}

bool has_v1(const std::string& controller) {
  return std::filesystem::exists("/sys/fs/cgroup/" + controller + "/cgroup.procs");
}

// Where the host's cgroup2 is: the whole of /sys/fs/cgroup, or the hybrid "unified" one.
std::string unified_mount() {
  return host_is_cgroup2() ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Every JSON object line of `out` (one per probe run), in order.
std::vector<json> json_lines(const std::string& out) {
  std::vector<json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    json parsed = json::parse(line, nullptr, false);
    if (parsed.is_object()) lines.push_back(std::move(parsed));
  }
  return lines;
}

void delegated(json& c) {
  c["annotations"]["run.burrow.cgroup.delegate"] = "true";
}

// Container root = host uid/gid 100000.
void in_user_namespace(json& c) {
  c["linux"]["namespaces"].push_back({{"type", "user"}});
  c["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
  c["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
}

json shell(const std::string& script) {
  return json::array({"/bin/sh", "-c", script});
}

class CgroupDelegation : public ContainerTest {
 protected:
  void SetUp() override {
    ContainerTest::SetUp();
    if (!runtime_is_burrow())
      GTEST_SKIP() << "run.burrow.cgroup.delegate is burrow's own annotation";
  }
  // The container's dir in a hierarchy mounted at `mount` (cgroupsPath /<id>).
  std::string host_dir(const std::string& mount) { return mount + "/" + id_; }
};

TEST_F(CgroupDelegation, ChildCgroupsTakeProcessesAndDeleteRemovesThem) {
  if (host_is_cgroup2()) GTEST_SKIP() << "v1 hierarchies: this host's /sys/fs/cgroup is a cgroup2";
  for (const char* c : {"memory", "pids"})
    if (!has_v1(c)) GTEST_SKIP() << "no v1 " << c << " hierarchy on this host";
  CommandResult run = run_container([&](json& c) {
    delegated(c);
    in_user_namespace(c);
    c["linux"]["cgroupsPath"] = "/" + id_;
    c["process"]["args"] = shell(
        "cd /sys/fs/cgroup; "
        "/probe mkdir memory/child; /probe mkdir memory/child/nested; /probe mkdir pids/child; "
        "echo $$ > memory/child/nested/cgroup.procs; echo $$ > pids/child/cgroup.procs; "
        "exec /probe read /proc/self/cgroup");
  });
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  std::vector<json> lines = json_lines(run.out);
  ASSERT_EQ(lines.size(), 4u) << run.describe();
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(lines[i]["ok"], true) << i << ": " << lines[i];
  std::string cgroups = lines[3].value("content", "");
  EXPECT_NE(cgroups.find(":memory:/child/nested\n"), std::string::npos) << cgroups;
  EXPECT_NE(cgroups.find(":pids:/child\n"), std::string::npos) << cgroups;
  // run deleted the container: its cgroups and the ones it made are gone.
  for (const char* c : {"memory", "pids"}) {
    std::string dir = host_dir(std::string("/sys/fs/cgroup/") + c);
    EXPECT_FALSE(std::filesystem::exists(dir)) << dir;
  }
}

// Without a user namespace the container's root is the host's: a writable cgroup tree would let
// it raise its own limits, so delegation is refused, naming the annotation, and nothing is made.
TEST_F(CgroupDelegation, WithoutAUserNamespaceItIsRefused) {
  CommandResult run = run_container([&](json& c) {
    delegated(c);
    c["linux"]["cgroupsPath"] = "/" + id_;
  });
  EXPECT_NE(run.exit_code, 0) << run.describe();
  expect_error(run, "delegate_without_userns");
  for (const char* c : {"memory", "pids"}) {
    std::string dir = std::string("/sys/fs/cgroup/") + c + "/" + id_;
    EXPECT_FALSE(std::filesystem::exists(dir)) << dir;
  }
}

TEST_F(CgroupDelegation, AnnotationValueOtherThanTrueOrFalseIsRefused) {
  CommandResult run =
      run_container([](json& c) { c["annotations"]["run.burrow.cgroup.delegate"] = "maybe"; });
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("annotation run.burrow.cgroup.delegate: invalid value \\\"maybe\\\": "
                         "want true or false"),
            std::string::npos)
      << run.describe();
}

// The container moves its init to a child cgroup and enables a controller in its own cgroup2,
// which then may hold no process (EBUSY): exec joins the init's cgroup there. Here on the hybrid
// cgroup2 (hugetlb), in the VM tier on a full cgroup v2.
TEST_F(CgroupDelegation, V2ExecJoinsTheInitsCgroupOnceTheContainersHasControllers) {
  std::string unified = unified_mount();
  if (!std::filesystem::exists(unified + "/cgroup.controllers"))
    GTEST_SKIP() << "no cgroup2 hierarchy on this host";
  if (trimmed(read_text(unified + "/cgroup.subtree_control")).empty())
    GTEST_SKIP() << "the cgroup2 enables no controller for the container to enable below it";
  std::string inside = host_is_cgroup2() ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
  write_config([&](json& c) {
    delegated(c);
    in_user_namespace(c);
    c["linux"]["cgroupsPath"] = "/" + id_;
    c["linux"]["resources"]["devices"] = json::array();
    c["process"]["args"] =
        shell("cd " + inside +
              " && mkdir init && echo $$ > init/cgroup.procs && "
              "for c in $(cat cgroup.controllers); do echo +$c > cgroup.subtree_control; done; "
              "exec /probe sleep 600");
  });
  ASSERT_EQ(runtime({"create", "--bundle", bundle_, id_}).exit_code, 0);
  ASSERT_EQ(runtime({"start", id_}).exit_code, 0);
  std::string own = host_dir(unified);
  auto deadline = std::chrono::steady_clock::now() + 60s;  // the VM is slow
  while (trimmed(read_text(own + "/cgroup.subtree_control")).empty() &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  ASSERT_FALSE(trimmed(read_text(own + "/cgroup.subtree_control")).empty())
      << "the container did not enable a controller in " << own;
  int init = init_pid();
  ASSERT_GT(init, 0);
  std::string init_cgroups = read_text("/proc/" + std::to_string(init) + "/cgroup");
  EXPECT_NE(init_cgroups.find("0::/" + id_ + "/init\n"), std::string::npos) << init_cgroups;

  CommandResult exec = runtime({"exec", id_, "/probe", "read", "/proc/self/cgroup"});
  ASSERT_EQ(exec.exit_code, 0) << exec.describe();
  json answer = last_json_line(exec.out);
  std::string seen = answer.value("content", "");
  EXPECT_NE(seen.find("0::/init\n"), std::string::npos)
      << "the exec'd process is not in the init's cgroup: " << seen;
}

// A full cgroup v2 (the VM tier): the limits are in files of the container's own cgroup that it
// does not own; what it may do is make child cgroups, move itself, enable controllers below.
TEST_F(CgroupDelegation, V2LimitsStayOutOfReachWhileTheSubtreeIsTheContainers) {
  if (!host_is_cgroup2()) GTEST_SKIP() << "/sys/fs/cgroup is not a cgroup2 (v2 tier runs in a VM)";
  CommandResult run = run_container([&](json& c) {
    delegated(c);
    in_user_namespace(c);
    c["linux"]["cgroupsPath"] = "/" + id_;
    c["linux"]["resources"]["devices"] = json::array();
    c["linux"]["resources"]["memory"] = {{"limit", 64 << 20}};
    c["linux"]["resources"]["pids"] = {{"limit", 50}};
    c["process"]["args"] = shell(
        "cd /sys/fs/cgroup; /probe write memory.max max; /probe write pids.max max; "
        "/probe read memory.max; /probe read pids.max; /probe mkdir child; "
        "echo $$ > child/cgroup.procs; /probe write cgroup.subtree_control +pids; "
        "exec /probe read /proc/self/cgroup");
  });
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  std::vector<json> lines = json_lines(run.out);
  ASSERT_EQ(lines.size(), 7u) << run.describe();
  for (size_t i : {0, 1}) {
    EXPECT_EQ(lines[i]["ok"], false) << "a limit was raised: " << lines[i];
    std::string err = lines[i].value("errno", "");
    EXPECT_TRUE(err == "EACCES" || err == "EPERM") << err;
  }
  EXPECT_EQ(lines[2]["content"], "67108864\n");
  EXPECT_EQ(lines[3]["content"], "50\n");
  for (size_t i : {4, 5}) EXPECT_EQ(lines[i]["ok"], true) << i << ": " << lines[i];
  EXPECT_EQ(lines[6]["content"], "0::/child\n");
}

}  // namespace
}  // namespace integration
