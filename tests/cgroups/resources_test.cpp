// linux.resources written by both backends into a temp dir laid out like a hybrid host (v1
// controllers, hugetlb on the cgroup2) and like a pure cgroup v2 host.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "base/file.hpp"
#include "cgroups/convert.hpp"
#include "cgroups/manager.hpp"

namespace burrow::cgroups {
namespace {

namespace stdfs = std::filesystem;

class CgroupTree : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/burrow-cgres-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    tmp_ = tmpl;
    ctx_.root = tmp_;
    ctx_.emulate_cgroupfs = true;
  }
  void TearDown() override { stdfs::remove_all(tmp_); }

  // v1 hierarchies for `controllers` plus <root>/unified offering `unified_controllers`.
  void hybrid(std::vector<std::string> controllers, const std::string& unified_controllers) {
    int id = 40;
    for (const auto& c : controllers) {
      stdfs::create_directories(tmp_ + "/" + c);
      ctx_.mountinfo += std::to_string(id++) + " 31 0:1 / " + tmp_ + "/" + c +
                        " rw - cgroup cgroup rw," + c + "\n";
    }
    stdfs::create_directories(tmp_ + "/unified");
    ctx_.mountinfo += "50 31 0:2 / " + tmp_ + "/unified rw - cgroup2 cgroup2 rw\n";
    put("unified/cgroup.controllers", unified_controllers + "\n");
    ctx_.self_cgroup = "0::/\n";
  }
  void pure_v2(const std::string& controllers) {
    ctx_.mountinfo = "30 23 0:26 / " + tmp_ + " rw - cgroup2 cgroup2 rw\n";
    ctx_.self_cgroup = "0::/\n";
    put("cgroup.controllers", controllers + "\n");
  }

  void put(const std::string& rel, const std::string& text) {
    ASSERT_TRUE(file::write_atomic(tmp_ + "/" + rel, text).ok());
  }
  std::string get(const std::string& rel) {
    auto text = file::read(tmp_ + "/" + rel);
    return text ? *text : "<" + text.error().message + ">";
  }
  bool exists(const std::string& rel) { return stdfs::exists(tmp_ + "/" + rel); }

  // A created manager for cgroupsPath /c1.
  std::unique_ptr<Manager> created(const spec::Resources& resources = {}) {
    ManagerConfig config;
    config.id = "c1";
    config.cgroups_path = "/p/c1";
    config.resources.devices = resources.devices;
    auto m = make_manager(ctx_, config);
    EXPECT_TRUE(m.ok()) << m.error().message;
    if (!m) return nullptr;
    auto st = (*m)->create();
    EXPECT_TRUE(st.ok()) << st.error().message;
    return std::move(m).value();
  }
  // apply_resources' error text, or "" on success.
  std::string apply(Manager& m, const spec::Resources& r, ApplyMode mode = ApplyMode::create) {
    auto st = m.apply_resources(r, mode);
    return st ? "" : st.error().message;
  }

  std::string tmp_;
  CgroupsContext ctx_;
};

TEST(Convert, CpuSharesToWeightMatchesRunc) {
  EXPECT_EQ(convert::cpu_shares_to_weight(0), 0u);
  EXPECT_EQ(convert::cpu_shares_to_weight(2), 1u);
  EXPECT_EQ(convert::cpu_shares_to_weight(512), 59u);
  EXPECT_EQ(convert::cpu_shares_to_weight(1024), 100u);
  EXPECT_EQ(convert::cpu_shares_to_weight(2048), 174u);
  EXPECT_EQ(convert::cpu_shares_to_weight(100000), 4340u);
  EXPECT_EQ(convert::cpu_shares_to_weight(262144), 10000u);
  EXPECT_EQ(convert::cpu_shares_to_weight(1u << 30), 10000u);
}

TEST(Convert, SwapToV2) {
  EXPECT_EQ(*convert::memory_swap_to_v2(0, -1), -1);
  EXPECT_EQ(*convert::memory_swap_to_v2(-1, 100), -1);
  EXPECT_EQ(*convert::memory_swap_to_v2(0, 100), 0);
  EXPECT_EQ(*convert::memory_swap_to_v2(500, -1), 500);
  EXPECT_EQ(*convert::memory_swap_to_v2(300, 100), 200);
  EXPECT_EQ(convert::memory_swap_to_v2(300, 0).error().message,
            "unable to set swap limit without memory limit");
  EXPECT_EQ(convert::memory_swap_to_v2(50, 100).error().message,
            "memory+swap limit should be >= memory limit");
}

TEST(Convert, BlkioWeightAndPids) {
  EXPECT_EQ(convert::blkio_weight_to_io_weight(10), 1u);
  EXPECT_EQ(convert::blkio_weight_to_io_weight(500), 4950u);
  EXPECT_EQ(convert::blkio_weight_to_io_weight(1000), 10000u);
  EXPECT_EQ(convert::pids_max(42), "42");
  EXPECT_EQ(convert::pids_max(0), "1");
  EXPECT_EQ(convert::pids_max(-1), "max");
  EXPECT_EQ(convert::v2_limit(-1), "max");
}

TEST_F(CgroupTree, V1MemoryWritesInRuncOrder) {
  hybrid({"memory", "cpu", "pids"}, "hugetlb");
  auto m = created();
  put("memory/p/c1/memory.memsw.limit_in_bytes", "");
  put("memory/p/c1/memory.limit_in_bytes", "9223372036854771712\n");
  spec::Resources r;
  r.memory = spec::MemoryResources{};
  r.memory->limit = 100 << 20;
  r.memory->swap = 200 << 20;
  r.memory->reservation = 50 << 20;
  r.memory->swappiness = 10;
  r.memory->disable_oom_killer = true;
  EXPECT_EQ(apply(*m, r), "");
  // The current limit is above the new memory+swap: memory first, then memsw.
  EXPECT_EQ(get("memory/p/c1/memory.limit_in_bytes"), "9223372036854771712\n104857600\n");
  EXPECT_EQ(get("memory/p/c1/memory.memsw.limit_in_bytes"), "209715200\n");
  EXPECT_EQ(get("memory/p/c1/memory.soft_limit_in_bytes"), "52428800\n");
  EXPECT_EQ(get("memory/p/c1/memory.swappiness"), "10\n");
  EXPECT_EQ(get("memory/p/c1/memory.oom_control"), "1\n");

  // A lower current limit than the new memory+swap: memsw first (the kernel keeps mem <= memsw).
  put("memory/p/c1/memory.limit_in_bytes", "1000\n");
  put("memory/p/c1/memory.memsw.limit_in_bytes", "1000\n");
  spec::Resources grow;
  grow.memory = spec::MemoryResources{};
  grow.memory->limit = 2000;
  grow.memory->swap = 4000;
  EXPECT_EQ(apply(*m, grow, ApplyMode::update), "");
  EXPECT_EQ(get("memory/p/c1/memory.memsw.limit_in_bytes"), "1000\n4000\n");
  EXPECT_EQ(get("memory/p/c1/memory.limit_in_bytes"), "1000\n2000\n");
}

TEST_F(CgroupTree, V1MemoryErrorsNameTheField) {
  hybrid({"memory"}, "");
  auto m = created();
  spec::Resources r;
  r.memory = spec::MemoryResources{};
  r.memory->limit = 1000;
  r.memory->swap = 2000;
  EXPECT_EQ(apply(*m, r),
            "linux.resources.memory.swap: swap accounting is not available on this host (no "
            "memory.memsw.limit_in_bytes; boot with swapaccount=1)");
  r.memory = spec::MemoryResources{};
  r.memory->swappiness = 101;
  EXPECT_EQ(apply(*m, r),
            "linux.resources.memory.swappiness: invalid memory swappiness value: 101 (valid range "
            "is 0-100)");
  // Kernel memory is ignored (runc 1.1): nothing is written, nothing refused.
  r.memory = spec::MemoryResources{};
  r.memory->kernel = 1 << 20;
  r.memory->kernel_tcp = 1 << 20;
  EXPECT_EQ(apply(*m, r), "");
  EXPECT_FALSE(exists("memory/p/c1/memory.kmem.limit_in_bytes"));
  // checkBeforeUpdate: refuse a limit at or below the usage.
  put("memory/p/c1/memory.usage_in_bytes", "5000\n");
  r.memory = spec::MemoryResources{};
  r.memory->limit = 4096;
  r.memory->check_before_update = true;
  EXPECT_EQ(apply(*m, r, ApplyMode::update),
            "linux.resources.memory.limit: rejecting memory limit 4096 <= usage 5000");
  r.memory->limit = 8192;
  EXPECT_EQ(apply(*m, r, ApplyMode::update), "");
}

TEST_F(CgroupTree, V1CpuCpusetPidsBlkio) {
  hybrid({"cpu", "cpuset", "pids", "blkio"}, "");
  put("cpuset/cpuset.cpus", "0-1\n");
  put("cpuset/cpuset.mems", "0\n");
  auto m = created();
  put("cpu/p/c1/cpu.cfs_burst_us", "");
  put("blkio/p/c1/blkio.bfq.weight", "");
  spec::Resources r;
  r.cpu = spec::CpuResources{};
  r.cpu->shares = 512;
  r.cpu->quota = 50000;
  r.cpu->period = 100000;
  r.cpu->burst = 1000;
  r.cpu->realtime_period = 1000000;
  r.cpu->realtime_runtime = 1000;
  r.cpu->cpus = "1";
  r.cpu->mems = "0";
  r.pids_limit = 42;
  r.block_io = spec::BlockIoResources{};
  r.block_io->weight = 300;
  r.block_io->throttle_read_bps_device = {{8, 0, 1048576}};
  r.block_io->throttle_write_iops_device = {{8, 16, 100}};
  // No cpu.rt_* files on this fake host: the realtime fields are refused by name.
  spec::Resources rt;
  rt.cpu = spec::CpuResources{};
  rt.cpu->realtime_period = 1000000;
  EXPECT_EQ(apply(*m, rt),
            "linux.resources.cpu.realtimePeriod: not available on this host (no cpu.rt_period_us "
            "in " +
                tmp_ + "/cpu/p/c1)");
  put("cpu/p/c1/cpu.rt_period_us", "");
  put("cpu/p/c1/cpu.rt_runtime_us", "");
  EXPECT_EQ(apply(*m, r), "");
  EXPECT_EQ(get("cpu/p/c1/cpu.shares"), "512\n");
  EXPECT_EQ(get("cpu/p/c1/cpu.cfs_period_us"), "100000\n");
  EXPECT_EQ(get("cpu/p/c1/cpu.cfs_quota_us"), "50000\n");
  EXPECT_EQ(get("cpu/p/c1/cpu.cfs_burst_us"), "1000\n");
  EXPECT_EQ(get("cpu/p/c1/cpu.rt_period_us"), "1000000\n");
  EXPECT_EQ(get("cpu/p/c1/cpu.rt_runtime_us"), "1000\n");
  EXPECT_EQ(get("cpuset/p/c1/cpuset.cpus"), "0-1\n1\n");
  EXPECT_EQ(get("cpuset/p/c1/cpuset.mems"), "0\n0\n");
  EXPECT_EQ(get("pids/p/c1/pids.max"), "42\n");
  EXPECT_EQ(get("blkio/p/c1/blkio.bfq.weight"), "300\n");
  EXPECT_EQ(get("blkio/p/c1/blkio.throttle.read_bps_device"), "8:0 1048576\n");
  EXPECT_EQ(get("blkio/p/c1/blkio.throttle.write_iops_device"), "8:16 100\n");

  spec::Resources idle;
  idle.cpu = spec::CpuResources{};
  idle.cpu->idle = 1;
  EXPECT_EQ(apply(*m, idle),
            "linux.resources.cpu.idle: not available on this host (no cpu.idle in " + tmp_ +
                "/cpu/p/c1)");
}

TEST_F(CgroupTree, V1BlkioWeightWithoutWeightFileIsRefused) {
  hybrid({"blkio"}, "");
  auto m = created();
  spec::Resources r;
  r.block_io = spec::BlockIoResources{};
  r.block_io->weight = 500;
  EXPECT_EQ(apply(*m, r),
            "linux.resources.blockIO.weight: not available on this host (neither blkio.weight nor "
            "blkio.bfq.weight in " +
                tmp_ + "/blkio/p/c1; the disk's I/O scheduler has no weights)");
}

TEST_F(CgroupTree, MissingControllerIsAnErrorNamingTheField) {
  hybrid({"memory"}, "");
  auto m = created();
  spec::Resources r;
  r.pids_limit = 10;
  EXPECT_EQ(apply(*m, r), "linux.resources.pids: the host has no pids cgroup controller");
}

TEST_F(CgroupTree, HybridHugetlbGoesToTheCgroup2) {
  hybrid({"memory"}, "hugetlb");
  auto m = created();
  put("unified/p/c1/hugetlb.2MB.max", "");
  spec::Resources r;
  r.hugepage_limits = {{"2MB", 4 << 20}};
  EXPECT_EQ(apply(*m, r), "");
  EXPECT_EQ(get("unified/p/c1/hugetlb.2MB.max"), "4194304\n");
  // Enabled from the root down to the container's parent, not in the container's own cgroup.
  EXPECT_EQ(get("unified/cgroup.subtree_control"), "+hugetlb\n");
  EXPECT_EQ(get("unified/p/cgroup.subtree_control"), "+hugetlb\n");
  EXPECT_FALSE(exists("unified/p/c1/cgroup.subtree_control"));

  r.hugepage_limits = {{"64KB", 1}};
  EXPECT_EQ(apply(*m, r),
            "linux.resources.hugepageLimits[0].pageSize: the host has no 64KB huge pages (no "
            "hugetlb.64KB.max in " +
                tmp_ + "/unified/p/c1)");
  r.hugepage_limits = {{"2M", 1}};
  EXPECT_EQ(apply(*m, r),
            "linux.resources.hugepageLimits[0].pageSize: invalid page size \"2M\" (want a size "
            "such as 2MB or 1GB)");
}

TEST_F(CgroupTree, UnifiedRefusedUnlessHostIsV2) {
  hybrid({"memory"}, "hugetlb");
  auto m = created();
  spec::Resources r;
  r.unified = {{"memory.high", "1000"}};
  const std::string refused =
      "linux.resources.unified: invalid configuration: cannot use unified on cgroup v1 (cgroup "
      "v2 files need a host whose controllers are all in cgroup v2)";
  EXPECT_EQ(apply(*m, r), refused);
  // The same before anything is made (create's check); an empty map asks for nothing.
  EXPECT_EQ(m->check_resources(r).error().message, refused);
  r.unified.clear();
  EXPECT_TRUE(m->check_resources(r).ok());
}

TEST_F(CgroupTree, V2EnablesControllersAndConvertsValues) {
  pure_v2("cpuset cpu io memory hugetlb pids");
  auto m = created();
  EXPECT_EQ(get("cgroup.subtree_control"), "+cpuset +cpu +io +memory +hugetlb +pids\n");
  EXPECT_EQ(get("p/cgroup.subtree_control"), "+cpuset +cpu +io +memory +hugetlb +pids\n");
  put("p/c1/memory.swap.max", "");
  put("p/c1/io.weight", "");
  spec::Resources r;
  r.memory = spec::MemoryResources{};
  r.memory->limit = 100;
  r.memory->swap = 300;
  r.memory->reservation = 50;
  r.cpu = spec::CpuResources{};
  r.cpu->shares = 1024;
  r.cpu->quota = 50000;
  r.cpu->period = 100000;
  r.pids_limit = -1;
  r.block_io = spec::BlockIoResources{};
  r.block_io->weight = 500;
  r.block_io->throttle_read_bps_device = {{8, 0, 1048576}};
  r.block_io->throttle_write_iops_device = {{8, 0, 0}};
  EXPECT_EQ(apply(*m, r), "");
  EXPECT_EQ(get("p/c1/memory.swap.max"), "200\n");
  EXPECT_EQ(get("p/c1/memory.max"), "100\n");
  EXPECT_EQ(get("p/c1/memory.low"), "50\n");
  EXPECT_EQ(get("p/c1/cpu.weight"), "100\n");
  EXPECT_EQ(get("p/c1/cpu.max"), "50000 100000\n");
  EXPECT_EQ(get("p/c1/pids.max"), "max\n");
  EXPECT_EQ(get("p/c1/io.weight"), "4950\n");
  EXPECT_EQ(get("p/c1/io.max"), "8:0 rbps=1048576\n8:0 wiops=max\n");

  // update: a period alone keeps the cgroup's quota; swap alone converts against memory.max.
  spec::Resources u;
  u.cpu = spec::CpuResources{};
  u.cpu->period = 200000;
  u.memory = spec::MemoryResources{};
  u.memory->swap = 1000;
  EXPECT_EQ(apply(*m, u, ApplyMode::update), "");
  EXPECT_EQ(get("p/c1/cpu.max"), "50000 100000\n50000 200000\n");
  EXPECT_EQ(get("p/c1/memory.swap.max"), "200\n900\n");
}

TEST_F(CgroupTree, V2RefusesWhatV2DoesNotHave) {
  pure_v2("cpu memory io");
  auto m = created();
  spec::Resources r;
  r.cpu = spec::CpuResources{};
  r.cpu->realtime_runtime = 1000;
  EXPECT_EQ(apply(*m, r),
            "linux.resources.cpu.realtimeRuntime: realtime scheduling limits need the cgroup v1 "
            "cpu controller (cgroup v2 has none)");
  r = {};
  r.memory = spec::MemoryResources{};
  r.memory->swappiness = 10;
  EXPECT_EQ(apply(*m, r),
            "linux.resources.memory.swappiness: cgroup v2 has no per-cgroup swappiness");
  r = {};
  r.memory = spec::MemoryResources{};
  r.memory->swap = 300;
  EXPECT_EQ(apply(*m, r),
            "linux.resources.memory.swap: unable to set swap limit without memory limit");
  r = {};
  r.pids_limit = 5;
  EXPECT_EQ(apply(*m, r), "linux.resources.pids: the host has no pids cgroup controller");
  r = {};
  r.unified = {{"memory.high", "4096"}, {"bogus", "1"}};
  EXPECT_EQ(apply(*m, r),
            "linux.resources.unified[\"bogus\"]: unified resource must be in the form "
            "CONTROLLER.PARAMETER");
  r.unified = {{"memory.high", "4096"}};
  EXPECT_EQ(apply(*m, r).rfind("linux.resources.unified[\"memory.high\"]: no such file in ", 0),
            0u);
  put("p/c1/memory.high", "");
  EXPECT_EQ(apply(*m, r), "");
  EXPECT_EQ(get("p/c1/memory.high"), "4096\n");
}

TEST_F(CgroupTree, FreezeThawV1AndV2) {
  hybrid({"freezer", "memory"}, "");
  auto m = created();
  ASSERT_TRUE(m->freeze().ok());
  EXPECT_TRUE(*m->is_frozen());
  ASSERT_TRUE(m->thaw().ok());
  EXPECT_FALSE(*m->is_frozen());
  EXPECT_EQ(get("freezer/p/c1/freezer.state"), "FROZEN\nTHAWED\n");
  EXPECT_FALSE(exists("unified/p/c1/cgroup.freeze")) << "the v1 freezer is used where it exists";

  stdfs::remove_all(tmp_);
  ctx_ = {};
  SetUp();
  pure_v2("memory");
  m = created();
  put("p/c1/cgroup.events", "populated 1\nfrozen 1\n");
  ASSERT_TRUE(m->freeze().ok());
  EXPECT_TRUE(*m->is_frozen());
  put("p/c1/cgroup.events", "populated 1\nfrozen 0\n");
  ASSERT_TRUE(m->thaw().ok());
  EXPECT_EQ(get("p/c1/cgroup.freeze"), "1\n0\n");
}

TEST_F(CgroupTree, PidsAreCollectedRecursively) {
  hybrid({"memory"}, "");
  auto m = created();
  put("unified/p/c1/cgroup.procs", "10\n11\n");
  stdfs::create_directories(tmp_ + "/unified/p/c1/sub");
  put("unified/p/c1/sub/cgroup.procs", "12\n");
  auto pids = m->pids();
  ASSERT_TRUE(pids.ok()) << pids.error().message;
  std::sort(pids->begin(), pids->end());
  EXPECT_EQ(*pids, (std::vector<pid_t>{10, 11, 12}));
}

TEST_F(CgroupTree, KillAllUsesCgroupKillOrFreezeSignalThaw) {
  hybrid({"freezer"}, "");
  auto m = created();
  put("unified/p/c1/cgroup.kill", "");
  ASSERT_TRUE(m->kill_all(SIGKILL).ok());
  EXPECT_EQ(get("unified/p/c1/cgroup.kill"), "1\n");
  EXPECT_FALSE(exists("freezer/p/c1/freezer.state"));

  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  put("unified/p/c1/cgroup.procs", std::to_string(child) + "\n");
  ASSERT_TRUE(m->kill_all(SIGTERM).ok());
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
  EXPECT_EQ(get("freezer/p/c1/freezer.state"), "FROZEN\nTHAWED\n");
}

}  // namespace
}  // namespace burrow::cgroups
