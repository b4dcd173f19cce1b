// Stats from cgroup v1 files, read the way runc's fs driver reads them.
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "base/file.hpp"
#include "cgroups/fs_ops.hpp"
#include "cgroups/stats.hpp"

namespace burrow::cgroups::stats {
namespace {

std::vector<uint64_t> read_numbers(const std::string& dir, const std::string& name) {
  std::vector<uint64_t> out;
  auto text = file::read(dir + "/" + name);
  if (!text) return out;
  std::istringstream in(*text);
  for (uint64_t v; in >> v;) out.push_back(v);
  return out;
}

uint64_t optional_u64(const std::string& dir, const std::string& name) {
  return fs::read_u64_or(dir, name, 0);
}

// memory.<prefix>usage_in_bytes and friends; a missing prefix (memsw without swap accounting)
// leaves the entry zero.
MemoryEntry memory_entry(const std::string& dir, const std::string& prefix) {
  MemoryEntry e;
  std::string base = "memory." + prefix;
  if (!fs::has_control(dir, base + "usage_in_bytes")) return e;
  e.usage = optional_u64(dir, base + "usage_in_bytes");
  e.max = optional_u64(dir, base + "max_usage_in_bytes");
  e.failcnt = optional_u64(dir, base + "failcnt");
  e.limit = optional_u64(dir, base + "limit_in_bytes");
  return e;
}

// "8:0 Read 4096" lines; "Total N" (no device) is skipped, as runc does.
std::vector<BlkioEntry> blkio_entries(const std::string& dir, const std::string& name) {
  std::vector<BlkioEntry> out;
  auto text = file::read(dir + "/" + name);
  if (!text) return out;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string device, op;
    BlkioEntry e;
    if (!(fields >> device >> op >> e.value)) continue;
    size_t colon = device.find(':');
    if (colon == std::string::npos) continue;
    e.major = std::strtoull(device.substr(0, colon).c_str(), nullptr, 10);
    e.minor = std::strtoull(device.substr(colon + 1).c_str(), nullptr, 10);
    e.op = op;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Status cpuacct_v1(const std::string& dir, Stats& out) {
  out.cpu.total = optional_u64(dir, "cpuacct.usage");
  out.cpu.percpu = read_numbers(dir, "cpuacct.usage_percpu");
  out.cpu.percpu_user = read_numbers(dir, "cpuacct.usage_percpu_user");
  out.cpu.percpu_kernel = read_numbers(dir, "cpuacct.usage_percpu_sys");
  auto ticks = fs::read_key_values(dir, "cpuacct.stat");
  if (ticks) {
    uint64_t hz = static_cast<uint64_t>(::sysconf(_SC_CLK_TCK));
    if (hz == 0) hz = 100;
    out.cpu.user = (*ticks)["user"] * 1000000000ull / hz;
    out.cpu.kernel = (*ticks)["system"] * 1000000000ull / hz;
  }
  return {};
}

Status cpu_v1(const std::string& dir, Stats& out) {
  auto stat = fs::read_key_values(dir, "cpu.stat");
  if (!stat) return {};
  out.cpu.periods = (*stat)["nr_periods"];
  out.cpu.throttled_periods = (*stat)["nr_throttled"];
  out.cpu.throttled_time = (*stat)["throttled_time"];
  return {};
}

Status memory_v1(const std::string& dir, Stats& out) {
  auto raw = fs::read_key_values(dir, "memory.stat");
  if (raw) {
    out.memory.raw = *raw;
    out.memory.cache = (*raw)["cache"];
  }
  out.memory.usage = memory_entry(dir, "");
  out.memory.swap = memory_entry(dir, "memsw.");
  out.memory.kernel = memory_entry(dir, "kmem.");
  out.memory.kernel_tcp = memory_entry(dir, "kmem.tcp.");
  return {};
}

Status blkio_v1(const std::string& dir, Stats& out) {
  // CFQ's files, else BFQ's, else the throttle layer's (always there).
  for (const char* prefix : {"blkio.", "blkio.bfq.", "blkio.throttle."}) {
    std::string bytes = std::string(prefix) + "io_service_bytes_recursive";
    if (!fs::has_control(dir, bytes)) continue;
    out.blkio.service_bytes = blkio_entries(dir, bytes);
    out.blkio.serviced = blkio_entries(dir, std::string(prefix) + "io_serviced_recursive");
    break;
  }
  return {};
}

Status pids(const std::string& dir, Stats& out) {
  out.pids.current = optional_u64(dir, "pids.current");
  out.pids.limit = fs::read_u64_or(dir, "pids.max", 0, 0);
  return {};
}

std::vector<uint16_t> parse_cpu_list(const std::string& list) {
  std::vector<uint16_t> out;
  std::istringstream in(list);
  std::string part;
  while (std::getline(in, part, ',')) {
    size_t dash = part.find('-');
    try {
      unsigned long from = std::stoul(part.substr(0, dash));
      unsigned long to = dash == std::string::npos ? from : std::stoul(part.substr(dash + 1));
      for (unsigned long i = from; i <= to && i < 65536; ++i)
        out.push_back(static_cast<uint16_t>(i));
    } catch (const std::exception&) {
      continue;  // malformed part
    }
  }
  return out;
}

Status cpuset(const std::string& dir, Stats& out) {
  auto cpus = fs::read_control(dir, "cpuset.cpus");
  if (cpus) out.cpuset.cpus = parse_cpu_list(*cpus);
  auto mems = fs::read_control(dir, "cpuset.mems");
  if (mems) out.cpuset.mems = parse_cpu_list(*mems);
  return {};
}

}  // namespace burrow::cgroups::stats
