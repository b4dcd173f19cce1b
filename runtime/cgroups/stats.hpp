// A container's cgroup statistics, shaped like runc's `events --stats` data (types.Stats) so the
// JSON is the same for callers that parse runc's, read from v1 or v2 files.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.hpp"

namespace burrow::cgroups {

struct MemoryEntry {
  uint64_t limit = 0, usage = 0, max = 0, failcnt = 0;
};

struct MemoryStats {
  uint64_t cache = 0;
  MemoryEntry usage, swap, kernel, kernel_tcp;
  std::map<std::string, uint64_t> raw;  // memory.stat
};

struct CpuStats {
  // nanoseconds
  uint64_t total = 0, kernel = 0, user = 0;
  std::vector<uint64_t> percpu, percpu_kernel, percpu_user;
  uint64_t periods = 0, throttled_periods = 0, throttled_time = 0;
};

struct PidsStats {
  uint64_t current = 0, limit = 0;  // limit 0: unlimited
};

struct BlkioEntry {
  uint64_t major = 0, minor = 0;
  std::string op;  // "Read", "Write", "Sync", "Async", "Discard", "Total"
  uint64_t value = 0;
};

struct BlkioStats {
  std::vector<BlkioEntry> service_bytes, serviced;  // the *Recursive lists
};

struct HugetlbStats {
  uint64_t usage = 0, max = 0, failcnt = 0;
};

struct CpusetStats {
  std::vector<uint16_t> cpus, mems;
};

struct Stats {
  CpuStats cpu;
  MemoryStats memory;
  PidsStats pids;
  BlkioStats blkio;
  std::map<std::string, HugetlbStats> hugetlb;  // by page size: "2MB"
  CpusetStats cpuset;
};

// Reading one controller's files into `out` (stats_v1.cpp, stats_v2.cpp). A missing optional
// file (memsw without swap accounting, kmem) leaves its part zero.
namespace stats {
Status cpuacct_v1(const std::string& dir, Stats& out);
Status cpu_v1(const std::string& dir, Stats& out);  // throttling
Status memory_v1(const std::string& dir, Stats& out);
Status blkio_v1(const std::string& dir, Stats& out);
Status hugetlb(const std::string& dir, bool v2, Stats& out);
Status pids(const std::string& dir, Stats& out);  // the same files on v1 and v2
Status cpuset(const std::string& dir, Stats& out);
Status cpu_v2(const std::string& dir, Stats& out);
Status memory_v2(const std::string& dir, Stats& out);
Status io_v2(const std::string& dir, Stats& out);

// "0-2,5" -> {0, 1, 2, 5}
std::vector<uint16_t> parse_cpu_list(const std::string& list);
}  // namespace stats

// runc's types.Stats as JSON: its field names, and its omitempty rules for zero values.
nlohmann::json stats_json(const Stats& stats);

}  // namespace burrow::cgroups
