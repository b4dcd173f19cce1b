// Stats -> the JSON of runc's types.Stats, field by field, with Go's omitempty/omitzero rules
// (a zero number or empty list under omitempty is left out; an all-zero struct under omitzero
// too), so parsers of runc's output read ours.
#include "cgroups/stats.hpp"

namespace burrow::cgroups {
namespace {

using nlohmann::json;

void put_nonzero(json& j, const char* key, uint64_t value) {
  if (value != 0) j[key] = value;
}

template <typename T>
void put_nonempty(json& j, const char* key, const std::vector<T>& values) {
  if (!values.empty()) j[key] = values;
}

json memory_entry(const MemoryEntry& e) {
  json j = {{"limit", e.limit}};
  put_nonzero(j, "usage", e.usage);
  put_nonzero(j, "max", e.max);
  j["failcnt"] = e.failcnt;
  return j;
}

bool is_zero(const MemoryEntry& e) {
  return e.limit == 0 && e.usage == 0 && e.max == 0 && e.failcnt == 0;
}

json cpu_json(const CpuStats& c) {
  json usage = json::object();
  put_nonzero(usage, "total", c.total);
  put_nonempty(usage, "percpu", c.percpu);
  put_nonempty(usage, "percpu_kernel", c.percpu_kernel);
  put_nonempty(usage, "percpu_user", c.percpu_user);
  usage["kernel"] = c.kernel;
  usage["user"] = c.user;
  json j = json::object();
  bool usage_zero = c.total == 0 && c.percpu.empty() && c.percpu_kernel.empty() &&
                    c.percpu_user.empty() && c.kernel == 0 && c.user == 0;
  if (!usage_zero) j["usage"] = usage;
  json throttling = json::object();
  put_nonzero(throttling, "periods", c.periods);
  put_nonzero(throttling, "throttledPeriods", c.throttled_periods);
  put_nonzero(throttling, "throttledTime", c.throttled_time);
  if (!throttling.empty()) j["throttling"] = throttling;
  return j;
}

json memory_json(const MemoryStats& m) {
  json j = json::object();
  put_nonzero(j, "cache", m.cache);
  for (auto [key, entry] :
       {std::pair{"usage", &m.usage}, std::pair{"swap", &m.swap}, std::pair{"kernel", &m.kernel},
        std::pair{"kernelTCP", &m.kernel_tcp}}) {
    if (!is_zero(*entry)) j[key] = memory_entry(*entry);
  }
  if (!m.raw.empty()) j["raw"] = m.raw;
  return j;
}

json blkio_list(const std::vector<BlkioEntry>& entries) {
  json list = json::array();
  for (const auto& e : entries) {
    json j = json::object();
    put_nonzero(j, "major", e.major);
    put_nonzero(j, "minor", e.minor);
    if (!e.op.empty()) j["op"] = e.op;
    put_nonzero(j, "value", e.value);
    list.push_back(j);
  }
  return list;
}

json cpuset_json(const CpusetStats& c) {
  json j = json::object();
  put_nonempty(j, "cpus", c.cpus);
  j["cpu_exclusive"] = 0;
  put_nonempty(j, "mems", c.mems);
  for (const char* key : {"mem_hardwall", "mem_exclusive", "memory_migrate", "memory_spread_page",
                          "memory_spread_slab", "memory_pressure", "sched_load_balance",
                          "sched_relax_domain_level"}) {
    j[key] = 0;
  }
  return j;
}

}  // namespace

json stats_json(const Stats& s) {
  json j = json::object();
  j["cpu"] = cpu_json(s.cpu);
  j["cpuset"] = cpuset_json(s.cpuset);
  j["memory"] = memory_json(s.memory);
  json pids = json::object();
  put_nonzero(pids, "current", s.pids.current);
  put_nonzero(pids, "limit", s.pids.limit);
  j["pids"] = pids;
  json blkio = json::object();
  if (!s.blkio.service_bytes.empty()) {
    blkio["ioServiceBytesRecursive"] = blkio_list(s.blkio.service_bytes);
  }
  if (!s.blkio.serviced.empty()) blkio["ioServicedRecursive"] = blkio_list(s.blkio.serviced);
  j["blkio"] = blkio;
  json hugetlb = json::object();
  for (const auto& [size, h] : s.hugetlb) {
    json e = json::object();
    put_nonzero(e, "usage", h.usage);
    put_nonzero(e, "max", h.max);
    e["failcnt"] = h.failcnt;
    hugetlb[size] = e;
  }
  j["hugetlb"] = hugetlb;
  j["intel_rdt"] = json::object();
  j["network_interfaces"] = nullptr;
  return j;
}

}  // namespace burrow::cgroups
