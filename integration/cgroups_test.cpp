// The container's cgroups: where it is placed and that resource limits reach the kernel's files
// and hold. These machines are hybrid (v1 controllers, hugetlb on the cgroup2); the tests named
// V2* need a host (or the VM tier) whose /sys/fs/cgroup is a full cgroup2 and skip elsewhere.
#include <linux/magic.h>
#include <sys/statfs.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;
using CgroupsTest = ContainerTest;

bool host_has_v1_controller(const std::string& controller) {
  return std::filesystem::exists("/sys/fs/cgroup/" + controller + "/cgroup.procs");
}

bool host_is_cgroup2() {
  struct statfs st {};
  return ::statfs("/sys/fs/cgroup", &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
}

// "major:minor" of some block device of this host ("" when none): throttles need a real one.
std::string some_block_device() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/sys/dev/block", ec)) {
    return entry.path().filename().string();
  }
  return "";
}

// The first line of a file ("" when it cannot be read).
std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

bool host_cgroup2_has_controller(const std::string& controller) {
  std::istringstream enabled(first_line("/sys/fs/cgroup/cgroup.subtree_control"));
  for (std::string word; enabled >> word;) {
    if (word == controller) return true;
  }
  return false;
}

json shell(const std::string& script) {
  return json::array({"/bin/sh", "-c", script});
}

TEST_F(CgroupsTest, PlacedInACgroupNamedAfterTheId) {
  json report = probe_report([&](json& c) { c["linux"]["cgroupsPath"] = "/" + id_; });
  ASSERT_TRUE(report.is_object());
  bool found = false;
  for (const auto& line : report["cgroup"]) {
    std::string text = line;
    if (text.size() > id_.size() && text.ends_with(":/" + id_)) found = true;
  }
  EXPECT_TRUE(found) << report["cgroup"].dump();
}

TEST_F(CgroupsTest, PidsLimit) {
  if (!host_has_v1_controller("pids")) GTEST_SKIP() << "no v1 pids controller on this host";
  json read = probe_json([](json& c) {
    c["linux"]["resources"]["pids"] = {{"limit", 42}};
    c["process"]["args"] = probe_args({"read", "/sys/fs/cgroup/pids/pids.max"});
  });
  EXPECT_EQ(read["content"], "42\n") << read.dump();
}

TEST_F(CgroupsTest, MemoryLimit) {
  if (!host_has_v1_controller("memory")) GTEST_SKIP() << "no v1 memory controller on this host";
  json read = probe_json([](json& c) {
    c["linux"]["resources"]["memory"] = {{"limit", 64 * 1024 * 1024}};
    c["process"]["args"] = probe_args({"read", "/sys/fs/cgroup/memory/memory.limit_in_bytes"});
  });
  EXPECT_EQ(read["content"], std::to_string(64 * 1024 * 1024) + "\n") << read.dump();
}

// Every v1 file the spec's cpu, memory and blkio throttles map to, read from inside.
TEST_F(CgroupsTest, V1CpuMemoryAndThrottleFiles) {
  for (const char* c : {"cpu", "cpuset", "memory", "blkio"}) {
    if (!host_has_v1_controller(c)) GTEST_SKIP() << "no v1 " << c << " controller on this host";
  }
  std::string device = some_block_device();
  if (device.empty()) GTEST_SKIP() << "no block device to throttle";
  int major = std::stoi(device.substr(0, device.find(':')));
  int minor = std::stoi(device.substr(device.find(':') + 1));
  CommandResult result = run_container([&](json& c) {
    c["linux"]["resources"]["cpu"] = {
        {"shares", 512}, {"quota", 20000}, {"period", 100000}, {"cpus", "0"}};
    c["linux"]["resources"]["memory"] = {
        {"limit", 64 << 20}, {"reservation", 32 << 20}, {"swappiness", 0}};
    c["linux"]["resources"]["blockIO"] = {
        {"throttleReadBpsDevice", {{{"major", major}, {"minor", minor}, {"rate", 1048576}}}}};
    c["process"]["args"] = shell(
        "cd /sys/fs/cgroup; cat cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us "
        "cpuset/cpuset.cpus memory/memory.soft_limit_in_bytes memory/memory.swappiness "
        "blkio/blkio.throttle.read_bps_device");
  });
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  if (!runtime_is_burrow() && result.out.empty()) GTEST_SKIP() << "runtime printed nothing";
  EXPECT_EQ(result.out, "512\n20000\n100000\n0\n33554432\n0\n" + device + " 1048576\n");
}

TEST_F(CgroupsTest, ForkLoopIsHeldAtPidsMax) {
  if (!host_has_v1_controller("pids")) GTEST_SKIP() << "no v1 pids controller on this host";
  CommandResult result = run_container([](json& c) {
    c["linux"]["resources"]["pids"] = {{"limit", 8}};
    // A child shell forks sleepers until fork fails (which ends it); then the count, with cat.
    c["process"]["args"] = shell(
        "sh -c 'while :; do sleep 30 & done' 2>/dev/null; cat /sys/fs/cgroup/pids/pids.current; "
        "kill -9 -1; true");
  });
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "8\n") << result.describe();
}

TEST_F(CgroupsTest, MemoryHogIsOomKilled) {
  if (!host_has_v1_controller("memory")) GTEST_SKIP() << "no v1 memory controller on this host";
  CommandResult result = run_container([](json& c) {
    c["linux"]["resources"]["memory"] = {{"limit", 16 << 20}, {"swap", 16 << 20}};
    c["process"]["args"] = json::array({"/bin/tail", "/dev/zero"});  // an endless line
  });
  EXPECT_EQ(result.exit_code, 137) << result.describe();
}

TEST_F(CgroupsTest, UnknownPageSizeIsRefusedByName) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "burrow's wording";
  CommandResult result = run_container([](json& c) {
    c["linux"]["resources"]["hugepageLimits"] = {{{"pageSize", "3MB"}, {"limit", 1}}};
  });
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("linux.resources.hugepageLimits[0].pageSize: the host has no 3MB huge "
                            "pages"),
            std::string::npos)
      << result.describe();
}

TEST_F(CgroupsTest, HugetlbLimitOnTheHybridCgroup2) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "runc puts hugetlb only on a v1 hierarchy";
  if (!std::filesystem::exists("/sys/kernel/mm/hugepages/hugepages-2048kB"))
    GTEST_SKIP() << "no 2MB huge pages on this host";
  if (host_has_v1_controller("hugetlb")) GTEST_SKIP() << "hugetlb is a v1 hierarchy here";
  CommandResult result = run_container([&](json& c) {
    c["linux"]["cgroupsPath"] = "/" + id_;
    c["linux"]["resources"]["hugepageLimits"] = {{{"pageSize", "2MB"}, {"limit", 4 << 20}}};
    c["process"]["args"] = shell("cat /sys/fs/cgroup/unified/hugetlb.2MB.max");
  });
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, std::to_string(4 << 20) + "\n");
}

TEST_F(CgroupsTest, CgroupFilesystemIsReadOnly) {
  if (!host_has_v1_controller("pids")) GTEST_SKIP() << "no v1 pids controller on this host";
  json write = probe_json([](json& c) {
    c["process"]["args"] = probe_args({"write", "/sys/fs/cgroup/pids/pids.max", "max"});
  });
  EXPECT_EQ(write["errno"], "EROFS") << write.dump();
}

// The device rules hold on either version (v1: the devices cgroup; v2: the eBPF filter): a node
// from linux.devices without an allow rule cannot be opened, runc's defaults can.
TEST_F(CgroupsTest, DeviceWithoutAllowRuleIsDenied) {
  auto with_kmsg = [](json& c) {
    c["linux"]["devices"] = {{{"path", "/dev/kmsg"},
                              {"type", "c"},
                              {"major", 1},
                              {"minor", 11},
                              {"fileMode", 0644},
                              {"uid", 0},
                              {"gid", 0}}};
  };
  json denied = probe_json([&](json& c) {
    with_kmsg(c);
    c["process"]["args"] = probe_args({"read", "/dev/kmsg"});
  });
  EXPECT_EQ(denied["errno"], "EPERM") << denied.dump();
  json allowed = probe_json([&](json& c) {
    with_kmsg(c);
    c["process"]["args"] = probe_args({"write", "/dev/null", "x"});
  });
  EXPECT_EQ(allowed["ok"], true) << allowed.dump();
}

// --- cgroup v2 (the VM tier) ---

TEST_F(CgroupsTest, V2LimitsReachTheirFiles) {
  if (!host_is_cgroup2()) GTEST_SKIP() << "/sys/fs/cgroup is not a cgroup2 (v2 tier runs in a VM)";
  CommandResult result = run_container([](json& c) {
    c["linux"]["resources"]["devices"] = json::array();
    c["linux"]["resources"]["memory"] = {{"limit", 64 << 20}, {"swap", 96 << 20}};
    c["linux"]["resources"]["cpu"] = {{"shares", 2048}, {"quota", 50000}, {"period", 100000}};
    c["linux"]["resources"]["pids"] = {{"limit", 42}};
    c["linux"]["namespaces"].push_back({{"type", "cgroup"}});
    c["process"]["args"] =
        shell("cd /sys/fs/cgroup; cat memory.max memory.swap.max cpu.weight cpu.max pids.max");
  });
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "67108864\n33554432\n174\n50000 100000\n42\n");
}

TEST_F(CgroupsTest, V2ForkLoopIsHeldAtPidsMax) {
  if (!host_is_cgroup2()) GTEST_SKIP() << "/sys/fs/cgroup is not a cgroup2 (v2 tier runs in a VM)";
  CommandResult result = run_container([](json& c) {
    c["linux"]["resources"]["devices"] = json::array();
    c["linux"]["resources"]["pids"] = {{"limit", 8}};
    c["linux"]["namespaces"].push_back({{"type", "cgroup"}});
    c["process"]["args"] = shell(
        "sh -c 'while :; do sleep 30 & done' 2>/dev/null; cat /sys/fs/cgroup/pids.current; "
        "kill -9 -1; true");
  });
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out, "8\n") << result.describe();
}

TEST_F(CgroupsTest, V2MemoryHogIsOomKilled) {
  if (!host_is_cgroup2()) GTEST_SKIP() << "/sys/fs/cgroup is not a cgroup2 (v2 tier runs in a VM)";
  CommandResult result = run_container([](json& c) {
    c["linux"]["resources"]["devices"] = json::array();
    c["linux"]["resources"]["memory"] = {{"limit", 16 << 20}, {"swap", 16 << 20}};
    c["process"]["args"] = json::array({"/bin/tail", "/dev/zero"});
  });
  EXPECT_EQ(result.exit_code, 137) << result.describe();
}

// io.max from blockIO throttles, and that it holds: the VM tier's empty virtio disk /dev/vda is
// read with O_DIRECT (past the page cache, so every byte is a bio the throttle sees) by busybox
// dd under the probe's clock, once without a limit and once at 1 MiB/s. Only a lower bound is
// asserted for the throttled read (a slow machine can only make it slower).
TEST_F(CgroupsTest, V2IoMaxThrottlesReadsFromAVirtioDisk) {
  if (!host_is_cgroup2()) GTEST_SKIP() << "/sys/fs/cgroup is not a cgroup2 (v2 tier runs in a VM)";
  if (!host_cgroup2_has_controller("io"))
    GTEST_SKIP() << "the cgroup2 root does not enable the io controller for its children";
  const std::string device = first_line("/sys/block/vda/dev");
  if (device.empty()) GTEST_SKIP() << "no /dev/vda (the VM tier's virtio disk) to throttle";
  const int major = std::stoi(device.substr(0, device.find(':')));
  const int minor = std::stoi(device.substr(device.find(':') + 1));
  constexpr int kRate = 1 << 20;  // bytes per second
  constexpr int kBlocks = 48;     // of 64 KiB: 3 MiB, 3 s at kRate
  constexpr int64_t kFloorNs = 2'000'000'000;
  auto read_vda = [&](bool throttled) {
    return run_container([&](json& c) {
      c["linux"]["devices"] = {{{"path", "/dev/vda"},
                                {"type", "b"},
                                {"major", major},
                                {"minor", minor},
                                {"fileMode", 0440},
                                {"uid", 0},
                                {"gid", 0}}};
      c["linux"]["resources"]["devices"].push_back(
          {{"allow", true}, {"type", "b"}, {"major", major}, {"minor", minor}, {"access", "rm"}});
      if (throttled) {
        c["linux"]["resources"]["blockIO"] = {
            {"throttleReadBpsDevice", {{{"major", major}, {"minor", minor}, {"rate", kRate}}}},
            {"throttleWriteIOPSDevice", {{{"major", major}, {"minor", minor}, {"rate", 100}}}}};
      }
      c["linux"]["namespaces"].push_back({{"type", "cgroup"}});
      c["process"]["args"] = shell(
          "cat /sys/fs/cgroup/io.max; /probe timed dd if=/dev/vda "
          "of=/dev/null bs=64k count=" +
          std::to_string(kBlocks) + " iflag=direct");
    });
  };
  CommandResult unlimited = read_vda(false);
  ASSERT_EQ(unlimited.exit_code, 0) << unlimited.describe();
  json unlimited_read = last_json_line(unlimited.out);
  ASSERT_EQ(unlimited_read["status"], 0) << unlimited.describe();
  EXPECT_EQ(unlimited.out.substr(0, unlimited.out.find('{')), "") << "io.max without throttles";

  CommandResult limited = read_vda(true);
  ASSERT_EQ(limited.exit_code, 0) << limited.describe();
  EXPECT_EQ(limited.out.substr(0, limited.out.find('\n') + 1),
            device + " rbps=" + std::to_string(kRate) + " wbps=max riops=max wiops=100\n")
      << limited.describe();
  json limited_read = last_json_line(limited.out);
  ASSERT_EQ(limited_read["status"], 0) << limited.describe();
  const int64_t unlimited_ns = unlimited_read["ns"], limited_ns = limited_read["ns"];
  std::cout << "3 MiB of /dev/vda with O_DIRECT: " << unlimited_ns / 1000000 << " ms unlimited, "
            << limited_ns / 1000000 << " ms at rbps=" << kRate << "\n";
  EXPECT_GE(limited_ns, kFloorNs) << "the read was not held near " << kRate << " bytes/s\n"
                                  << limited.describe();
}

}  // namespace
}  // namespace integration
