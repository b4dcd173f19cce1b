// A real pod: burrow-pod-init as the infra container's init, a member joining its namespaces, and
// the kill-safety contract: when the process holding the pod dies (SIGKILL), every process of
// the pod is gone within 2 s.
#include "pod/pod.hpp"
#include "pod/pod_cgroup.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/file.hpp"

namespace burrow::shim::pod {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class PodRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "pods need root (or the rootless tier)";
    char pattern[] = "/tmp/burrow-pod-test.XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    work_ = pattern;
    ::chmod(work_.c_str(), 0711);
    // A busybox rootfs, readable by the pod's unmapped-to-host ids.
    rootfs_ = work_ + "/rootfs";
    fs::create_directories(rootfs_ + "/bin");
    for (const char* dir : {"proc", "dev", "sys", "etc", "tmp"})
      fs::create_directories(rootfs_ + "/" + dir);
    fs::copy_file("/bin/busybox", rootfs_ + "/bin/busybox");
    fs::create_symlink("busybox", rootfs_ + "/bin/sh");
    std::ofstream(rootfs_ + "/etc/hosts") << "";
    std::ofstream(rootfs_ + "/etc/resolv.conf") << "";
    auto slot = IdSlot::acquire(work_ + "/slots");
    ASSERT_TRUE(slot) << slot.error().message;
    slot_.emplace(std::move(slot).value());
  }
  void TearDown() override {
    if (!work_.empty()) {
      // Whatever a failed test left: containers, then the tree.
      runtime::RuntimeClient client(BURROW_BINARY, work_ + "/jobs/k/state", work_);
      if (auto ids = client.list(); ids)
        for (const auto& id : *ids) (void)client.remove(id);
      // A pod whose holder was killed leaves its own cgroup for `burrow-shim cleanup`: as it.
      std::ifstream recorded(work_ + "/jobs/k/" + kPodCgroupFile);
      std::string cgroup;
      if (std::getline(recorded, cgroup) && !cgroup.empty()) (void)remove_pod_cgroup(cgroup);
      fs::remove_all(work_);
    }
  }

  PodOptions options() const {
    PodOptions options;
    options.pod_init_binary = POD_INIT_BINARY;
    options.ids = slot_->range();
    options.hostname = "pod-under-test";
    options.network = "none";
    return options;
  }

  std::string work_;
  std::string rootfs_;
  std::optional<IdSlot> slot_;
};

TEST_F(PodRootTest, MemberSharesThePodsNamespacesAndSeesItsHosts) {
  auto dir = JobDir::create(work_ + "/jobs", "k");
  ASSERT_TRUE(dir) << dir.error().message;
  runtime::RuntimeClient client(BURROW_BINARY, dir->state_dir(), dir->logs_dir());
  auto base = client.spec(work_, "default");
  ASSERT_TRUE(base) << base.error().message;
  auto pod = Pod::start(*dir, client, *base, options());
  ASSERT_TRUE(pod) << pod.error().message;
  ASSERT_TRUE(pod->write_hosts({"docker", "web"}));
  ContainerPlan plan = pod->member_plan("member");
  plan.rootfs = rootfs_;
  plan.readonly_rootfs = true;
  plan.args = {"/bin/sh", "-c",
               "hostname; grep build /etc/hosts; cat /proc/self/uid_map; "
               "readlink /proc/self/ns/net; echo done"};
  std::string out_path = work_ + "/member.out";
  Fd out(::open(out_path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  runtime::Stdio stdio;
  stdio.out = out.get();
  stdio.err = out.get();
  ASSERT_TRUE(pod->start_member("member", plan, stdio));
  std::string text;
  for (int i = 0; i < 100 && text.find("done") == std::string::npos; ++i) {
    std::this_thread::sleep_for(50ms);
    text = file::read(out_path).ok() ? *file::read(out_path) : "";
  }
  std::string infra_net = fs::read_symlink("/proc/" + std::to_string(pod->infra_pid()) + "/ns/net");
  EXPECT_NE(text.find("pod-under-test\n"), std::string::npos) << text;
  EXPECT_NE(text.find("127.0.0.1\tbuild docker web\n"), std::string::npos) << text;
  EXPECT_NE(text.find(std::to_string(kSlotBase)), std::string::npos) << text;
  EXPECT_NE(text.find(infra_net), std::string::npos) << text << " vs " << infra_net;
  ASSERT_TRUE(pod->teardown());
  auto left = client.list();
  ASSERT_TRUE(left);
  EXPECT_TRUE(left->empty());
}

// Running, not a zombie waiting for its reaper (this host's init reaps orphans late).
bool process_exists(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  size_t close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z';
}

TEST_F(PodRootTest, KilledHolderTakesThePodWithIt) {
  int report[2];
  ASSERT_EQ(::pipe(report), 0);
  pid_t holder = ::fork();
  ASSERT_GE(holder, 0);
  if (holder == 0) {
    // The shim's part: make the pod and a long-running member, report their pids, wait.
    ::close(report[0]);
    auto dir = JobDir::create(work_ + "/jobs", "k");
    if (!dir) ::_exit(1);
    runtime::RuntimeClient client(BURROW_BINARY, dir->state_dir(), dir->logs_dir());
    auto base = client.spec(work_, "default");
    if (!base) ::_exit(2);
    auto pod = Pod::start(*dir, client, *base, options());
    if (!pod) ::_exit(3);
    ContainerPlan plan = pod->member_plan("sleeper");
    plan.rootfs = rootfs_;
    plan.readonly_rootfs = true;
    plan.args = {"/bin/sh", "-c", "sleep 1000 & sleep 1000"};
    if (!pod->start_member("sleeper", plan, {})) ::_exit(4);
    auto state = client.state(pod->container_id("sleeper"));
    if (!state) ::_exit(5);
    pid_t pids[2] = {pod->infra_pid(), (*state)["pid"].get<pid_t>()};
    if (::write(report[1], pids, sizeof pids) != sizeof pids) ::_exit(6);
    ::pause();
    ::_exit(0);
  }
  ::close(report[1]);
  pid_t pids[2] = {0, 0};
  ssize_t got = ::read(report[0], pids, sizeof pids);
  ::close(report[0]);
  if (got != sizeof pids) {
    int status = 0;
    ::waitpid(holder, &status, 0);
    FAIL() << "the holder failed to make the pod: exit " << WEXITSTATUS(status);
  }
  ASSERT_TRUE(process_exists(pids[0]) && process_exists(pids[1]));
  ::kill(holder, SIGKILL);
  int status = 0;
  ::waitpid(holder, &status, 0);
  auto deadline = std::chrono::steady_clock::now() + 2s;
  while ((process_exists(pids[0]) || process_exists(pids[1])) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(process_exists(pids[0])) << "infra " << pids[0] << " outlived the holder";
  EXPECT_FALSE(process_exists(pids[1])) << "member " << pids[1] << " outlived the holder";
}

}  // namespace
}  // namespace burrow::shim::pod
