// Stats read from fake v1 and v2 files, and their JSON in runc's field names.
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <filesystem>

#include "base/file.hpp"
#include "cgroups/oom.hpp"
#include "cgroups/stats.hpp"

namespace burrow::cgroups {
namespace {

namespace stdfs = std::filesystem;

class StatsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/burrow-cgstats-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { stdfs::remove_all(dir_); }
  void put(const std::string& name, const std::string& text) {
    ASSERT_TRUE(file::write_atomic(dir_ + "/" + name, text).ok());
  }
  std::string dir_;
};

TEST_F(StatsTest, V1FilesToRuncJson) {
  put("cpuacct.usage", "3000\n");
  put("cpuacct.usage_percpu", "1000 2000 \n");
  put("cpuacct.stat", "user 2\nsystem 1\n");
  put("cpu.stat", "nr_periods 10\nnr_throttled 4\nthrottled_time 5000\n");
  put("memory.stat", "cache 4096\nrss 8192\n");
  put("memory.usage_in_bytes", "12288\n");
  put("memory.max_usage_in_bytes", "16384\n");
  put("memory.failcnt", "3\n");
  put("memory.limit_in_bytes", "65536\n");
  put("pids.current", "2\n");
  put("pids.max", "max\n");
  put("blkio.throttle.io_service_bytes_recursive", "8:0 Read 512\n8:0 Write 0\nTotal 512\n");
  put("blkio.throttle.io_serviced_recursive", "8:0 Read 1\n");
  put("hugetlb.2MB.limit_in_bytes", "0\n");
  put("hugetlb.2MB.usage_in_bytes", "2097152\n");
  put("hugetlb.2MB.failcnt", "1\n");
  Stats s;
  ASSERT_TRUE(stats::cpuacct_v1(dir_, s).ok());
  ASSERT_TRUE(stats::cpu_v1(dir_, s).ok());
  ASSERT_TRUE(stats::memory_v1(dir_, s).ok());
  ASSERT_TRUE(stats::pids(dir_, s).ok());
  ASSERT_TRUE(stats::blkio_v1(dir_, s).ok());
  ASSERT_TRUE(stats::hugetlb(dir_, false, s).ok());
  uint64_t hz = static_cast<uint64_t>(::sysconf(_SC_CLK_TCK));
  nlohmann::json j = stats_json(s);
  EXPECT_EQ(j["cpu"]["usage"]["total"], 3000u);
  EXPECT_EQ(j["cpu"]["usage"]["percpu"], nlohmann::json::array({1000, 2000}));
  EXPECT_EQ(j["cpu"]["usage"]["user"], 2 * 1000000000ull / hz);
  EXPECT_EQ(j["cpu"]["usage"]["kernel"], 1000000000ull / hz);
  EXPECT_EQ(j["cpu"]["throttling"],
            (nlohmann::json{{"periods", 10}, {"throttledPeriods", 4}, {"throttledTime", 5000}}));
  EXPECT_EQ(j["memory"]["cache"], 4096u);
  EXPECT_EQ(j["memory"]["usage"],
            (nlohmann::json{{"limit", 65536}, {"usage", 12288}, {"max", 16384}, {"failcnt", 3}}));
  EXPECT_FALSE(j["memory"].contains("swap")) << "no memsw files: omitted (all zero)";
  EXPECT_EQ(j["memory"]["raw"]["rss"], 8192u);
  EXPECT_EQ(j["pids"], (nlohmann::json{{"current", 2}})) << "limit max: omitted";
  EXPECT_EQ(
      j["blkio"]["ioServiceBytesRecursive"],
      nlohmann::json::parse(R"([{"major":8,"op":"Read","value":512},{"major":8,"op":"Write"}])"));
  EXPECT_EQ(j["blkio"]["ioServicedRecursive"].size(), 1u);
  EXPECT_EQ(j["hugetlb"]["2MB"], (nlohmann::json{{"usage", 2097152}, {"failcnt", 1}}));
  EXPECT_TRUE(j.contains("intel_rdt"));
  EXPECT_TRUE(j["network_interfaces"].is_null());
}

TEST_F(StatsTest, V2FilesToRuncJson) {
  put("cpu.stat",
      "usage_usec 30\nuser_usec 20\nsystem_usec 10\nnr_periods 7\nnr_throttled 2\n"
      "throttled_usec 9\n");
  put("memory.stat", "file 100\nanon 200\n");
  put("memory.current", "300\n");
  put("memory.max", "max\n");
  put("memory.events", "low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\n");
  put("memory.swap.current", "50\n");
  put("memory.swap.max", "1000\n");
  put("io.stat", "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n");
  put("hugetlb.2MB.max", "max\n");
  put("hugetlb.2MB.current", "0\n");
  put("hugetlb.2MB.events", "max 2\n");
  Stats s;
  ASSERT_TRUE(stats::cpu_v2(dir_, s).ok());
  ASSERT_TRUE(stats::memory_v2(dir_, s).ok());
  ASSERT_TRUE(stats::io_v2(dir_, s).ok());
  ASSERT_TRUE(stats::hugetlb(dir_, true, s).ok());
  nlohmann::json j = stats_json(s);
  EXPECT_EQ(j["cpu"]["usage"]["total"], 30000u);
  EXPECT_EQ(j["cpu"]["usage"]["user"], 20000u);
  EXPECT_EQ(j["cpu"]["usage"]["kernel"], 10000u);
  EXPECT_EQ(j["cpu"]["throttling"]["throttledTime"], 9000u);
  EXPECT_EQ(j["memory"]["cache"], 100u);
  EXPECT_EQ(j["memory"]["usage"]["limit"], UINT64_MAX);
  EXPECT_EQ(j["memory"]["usage"]["failcnt"], 5u);
  // runc reports swap as memory+swap.
  EXPECT_EQ(j["memory"]["swap"]["usage"], 350u);
  EXPECT_EQ(j["memory"]["swap"]["limit"], UINT64_MAX);
  EXPECT_EQ(j["blkio"]["ioServiceBytesRecursive"][1],
            (nlohmann::json{{"major", 8}, {"op", "Write"}, {"value", 8192}}));
  EXPECT_EQ(j["hugetlb"]["2MB"], (nlohmann::json{{"failcnt", 2}}));
}

TEST(CpuList, Expands) {
  EXPECT_EQ(stats::parse_cpu_list("0-2,5"), (std::vector<uint16_t>{0, 1, 2, 5}));
  EXPECT_EQ(stats::parse_cpu_list(""), (std::vector<uint16_t>{}));
}

TEST_F(StatsTest, V2OomWatcherCountsNewKills) {
  put("memory.events", "oom 0\noom_kill 1\n");
  auto watcher = watch_oom_v2(dir_);
  ASSERT_TRUE(watcher.ok()) << watcher.error().message;
  // Modified in place (as the kernel does), not replaced.
  ASSERT_TRUE(file::write(dir_ + "/memory.events", "oom 2\noom_kill 3\n").ok());
  struct pollfd pfd = {(*watcher)->fd(), POLLIN, 0};
  ASSERT_EQ(::poll(&pfd, 1, 1000), 1);
  auto fresh = (*watcher)->consume();
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(*fresh, 2u) << "kills since the watch began";
  EXPECT_EQ(*(*watcher)->consume(), 0u);
}

}  // namespace
}  // namespace burrow::cgroups
