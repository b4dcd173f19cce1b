// Stats from cgroup v2 files (and hugetlb, whose files differ only in their names), in the
// shape runc's fs2 driver gives them.
#include <dirent.h>

#include <memory>
#include <sstream>

#include "base/file.hpp"
#include "cgroups/fs_ops.hpp"
#include "cgroups/stats.hpp"

namespace burrow::cgroups::stats {
namespace {

uint64_t optional_u64(const std::string& dir, const std::string& name) {
  return fs::read_u64_or(dir, name, 0);
}

uint64_t saturating_add(uint64_t a, uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

// Page sizes the cgroup has files for: hugetlb.<size><suffix>.
std::vector<std::string> hugetlb_sizes(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> out;
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
  if (!d) return out;
  const std::string prefix = "hugetlb.";
  while (struct dirent* e = ::readdir(d.get())) {
    std::string name = e->d_name;
    if (name.size() > prefix.size() + suffix.size() && name.starts_with(prefix) &&
        name.ends_with(suffix)) {
      std::string size = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
      if (size.find('.') == std::string::npos) out.push_back(size);
    }
  }
  return out;
}

}  // namespace

Status hugetlb(const std::string& dir, bool v2, Stats& out) {
  for (const auto& size : hugetlb_sizes(dir, v2 ? ".max" : ".limit_in_bytes")) {
    HugetlbStats h;
    std::string base = "hugetlb." + size;
    if (v2) {
      h.usage = optional_u64(dir, base + ".current");
      auto events = fs::read_key_values(dir, base + ".events");
      if (events) h.failcnt = (*events)["max"];
    } else {
      h.usage = optional_u64(dir, base + ".usage_in_bytes");
      h.max = optional_u64(dir, base + ".max_usage_in_bytes");
      h.failcnt = optional_u64(dir, base + ".failcnt");
    }
    out.hugetlb[size] = h;
  }
  return {};
}

Status cpu_v2(const std::string& dir, Stats& out) {
  auto stat = fs::read_key_values(dir, "cpu.stat");
  if (!stat) return {};
  auto& s = *stat;
  out.cpu.total = s["usage_usec"] * 1000;
  out.cpu.user = s["user_usec"] * 1000;
  out.cpu.kernel = s["system_usec"] * 1000;
  out.cpu.periods = s["nr_periods"];
  out.cpu.throttled_periods = s["nr_throttled"];
  out.cpu.throttled_time = s["throttled_usec"] * 1000;
  return {};
}

Status memory_v2(const std::string& dir, Stats& out) {
  auto raw = fs::read_key_values(dir, "memory.stat");
  if (raw) {
    out.memory.raw = *raw;
    out.memory.cache = (*raw)["file"];
  }
  MemoryEntry& usage = out.memory.usage;
  usage.usage = optional_u64(dir, "memory.current");
  usage.limit = fs::read_u64_or(dir, "memory.max", UINT64_MAX);
  usage.max = optional_u64(dir, "memory.peak");
  auto events = fs::read_key_values(dir, "memory.events");
  if (events) usage.failcnt = (*events)["max"];
  // runc reports "swap" as memory+swap, as v1's memsw did.
  if (fs::has_control(dir, "memory.swap.current")) {
    MemoryEntry& swap = out.memory.swap;
    swap.usage = saturating_add(optional_u64(dir, "memory.swap.current"), usage.usage);
    swap.limit = saturating_add(fs::read_u64_or(dir, "memory.swap.max", UINT64_MAX), usage.limit);
    swap.max = saturating_add(optional_u64(dir, "memory.swap.peak"), usage.max);
  }
  return {};
}

Status io_v2(const std::string& dir, Stats& out) {
  auto text = file::read(dir + "/io.stat");
  if (!text) return {};
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string device, pair;
    if (!(fields >> device)) continue;
    size_t colon = device.find(':');
    if (colon == std::string::npos) continue;
    uint64_t major = std::strtoull(device.substr(0, colon).c_str(), nullptr, 10);
    uint64_t minor = std::strtoull(device.substr(colon + 1).c_str(), nullptr, 10);
    while (fields >> pair) {
      size_t eq = pair.find('=');
      if (eq == std::string::npos) continue;
      std::string key = pair.substr(0, eq);
      uint64_t value = std::strtoull(pair.substr(eq + 1).c_str(), nullptr, 10);
      if (key == "rbytes") out.blkio.service_bytes.push_back({major, minor, "Read", value});
      if (key == "wbytes") out.blkio.service_bytes.push_back({major, minor, "Write", value});
      if (key == "rios") out.blkio.serviced.push_back({major, minor, "Read", value});
      if (key == "wios") out.blkio.serviced.push_back({major, minor, "Write", value});
    }
  }
  return {};
}

}  // namespace burrow::cgroups::stats
