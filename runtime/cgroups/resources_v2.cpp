// linux.resources on cgroup v2 controllers (memory, cpu, io, unified files), following runc's
// fs2 driver: the v1-shaped OCI values converted (swap, shares -> weight, blkio weight -> io
// weight) and the throttles written to io.max.
#include "cgroups/convert.hpp"
#include "cgroups/fs_ops.hpp"
#include "cgroups/resources.hpp"

namespace burrow::cgroups::res {
namespace {

const std::string kMemory = "linux.resources.memory";
const std::string kCpu = "linux.resources.cpu";
const std::string kBlockIo = "linux.resources.blockIO";

// The memory limit swap is converted against: the request's, or on update the cgroup's.
int64_t memory_for_swap(const Target& t, const spec::MemoryResources& m) {
  if (m.limit) return *m.limit;
  if (t.mode != ApplyMode::update) return 0;
  auto current = fs::read_u64(t.dir, "memory.max");
  if (!current || *current == UINT64_MAX) return -1;
  return static_cast<int64_t>(*current);
}

}  // namespace

Status memory_v2(const Target& t, const spec::MemoryResources& m) {
  BURROW_TRY(memory_checks(m));
  if (m.disable_oom_killer.value_or(false)) {
    return Error::msg(kMemory + ".disableOOMKiller: cgroup v2 has no OOM killer switch");
  }
  if (m.swappiness) {
    return Error::msg(kMemory + ".swappiness: cgroup v2 has no per-cgroup swappiness");
  }
  if (m.use_hierarchy && !*m.use_hierarchy) {
    return Error::msg(kMemory + ".useHierarchy: cgroup v2 is always hierarchical");
  }
  int64_t limit = m.limit.value_or(0);
  int64_t swap_request = m.swap.value_or(0);
  bool swap_given = m.swap || limit == -1;
  if (swap_given) {
    auto swap = convert::memory_swap_to_v2(swap_request, memory_for_swap(t, m));
    if (!swap) return std::move(swap).error().wrap(kMemory + ".swap");
    BURROW_TRY(check_usage(t, m, "memory.current", swap_request));
    // 0 here means "memory and memory+swap are equal": no swap at all.
    bool write_swap = *swap != 0 || swap_request > 0;
    if (write_swap) {
      std::string value = convert::v2_limit(*swap);
      if (!fs::has_control(t.dir, "memory.swap.max")) {
        // runc: a host without swap accounting may ignore "no swap" and "unlimited swap".
        if (value != "max" && value != "0") {
          return Error::msg(kMemory + ".swap: swap accounting is not available on this host (no " +
                            "memory.swap.max in " + t.dir + ")");
        }
      } else {
        BURROW_TRY(write_field(t, "memory.swap.max", value, kMemory + ".swap"));
      }
    }
  } else {
    BURROW_TRY(check_usage(t, m, "memory.current", 0));
  }
  if (limit != 0) {
    BURROW_TRY(write_field(t, "memory.max", convert::v2_limit(limit), kMemory + ".limit"));
  }
  if (m.reservation && *m.reservation != 0) {
    BURROW_TRY(
        write_field(t, "memory.low", convert::v2_limit(*m.reservation), kMemory + ".reservation"));
  }
  return {};
}

namespace {

// cpu.max is "QUOTA PERIOD"; an update that gives one half keeps the cgroup's other half.
Result<std::string> cpu_max_value(const Target& t, const spec::CpuResources& c) {
  int64_t quota = c.quota.value_or(0);
  uint64_t period = c.period.value_or(0);
  std::string quota_text = quota > 0 ? std::to_string(quota) : "max";
  if (t.mode == ApplyMode::update && quota == 0) {
    auto current = fs::read_control(t.dir, "cpu.max");
    if (current) quota_text = current->substr(0, current->find(' '));
  }
  return period != 0 ? quota_text + " " + std::to_string(period) : quota_text;
}

}  // namespace

Status cpu_v2(const Target& t, const spec::CpuResources& c) {
  if (c.realtime_period && *c.realtime_period != 0) {
    return Error::msg(kCpu +
                      ".realtimePeriod: realtime scheduling limits need the cgroup v1 "
                      "cpu controller (cgroup v2 has none)");
  }
  if (c.realtime_runtime && *c.realtime_runtime != 0) {
    return Error::msg(kCpu +
                      ".realtimeRuntime: realtime scheduling limits need the cgroup v1 "
                      "cpu controller (cgroup v2 has none)");
  }
  if (c.idle) {
    BURROW_TRY(require_control(t, "cpu.idle", kCpu + ".idle"));
    BURROW_TRY(write_field(t, "cpu.idle", std::to_string(*c.idle), kCpu + ".idle"));
  }
  uint64_t weight = convert::cpu_shares_to_weight(c.shares.value_or(0));
  // An idle cgroup has no weight of its own (the kernel refuses one).
  if (weight != 0 && c.idle.value_or(0) != 1) {
    BURROW_TRY(write_field(t, "cpu.weight", std::to_string(weight), kCpu + ".shares"));
  }
  bool quota_follows = c.quota.value_or(0) != 0 || c.period.value_or(0) != 0;
  bool burst_deferred = false;
  if (c.burst) {
    BURROW_TRY(require_control(t, "cpu.max.burst", kCpu + ".burst"));
    auto written = fs::write_control(t.ctx, t.dir, "cpu.max.burst", std::to_string(*c.burst));
    if (!written) {
      // A burst above the current quota waits for the new quota.
      if (written.error().code != EINVAL || !quota_follows) {
        return std::move(written).error().wrap(kCpu + ".burst");
      }
      burst_deferred = true;
    }
  }
  if (quota_follows) {
    std::string value = BURROW_TRY(cpu_max_value(t, c));
    std::string field = c.quota.value_or(0) != 0 ? kCpu + ".quota" : kCpu + ".period";
    BURROW_TRY(write_field(t, "cpu.max", value, field));
    if (burst_deferred) {
      BURROW_TRY(write_field(t, "cpu.max.burst", std::to_string(*c.burst), kCpu + ".burst"));
    }
  }
  return {};
}

namespace {

std::string device_id(int64_t major, int64_t minor) {
  return std::to_string(major) + ":" + std::to_string(minor);
}

Status throttle_v2(const Target& t, const std::vector<spec::ThrottleDevice>& devices,
                   const char* key, const std::string& field) {
  for (size_t i = 0; i < devices.size(); ++i) {
    const auto& d = devices[i];
    // v1 removes a throttle written as 0; io.max spells that "max".
    std::string rate = d.rate == 0 ? "max" : std::to_string(d.rate);
    BURROW_TRY(write_field(t, "io.max", device_id(d.major, d.minor) + " " + key + "=" + rate,
                           field + "[" + std::to_string(i) + "]"));
  }
  return {};
}

Status check_blkio_weight(uint64_t weight, const std::string& field) {
  if (weight < 10 || weight > 1000) {
    return Error::msg(field + ": " + std::to_string(weight) + " is out of range (10-1000)");
  }
  return {};
}

}  // namespace

Status io_v2(const Target& t, const spec::BlockIoResources& b) {
  if (b.leaf_weight) {
    return Error::msg(kBlockIo + ".leafWeight: cgroup v2 has no leaf weights");
  }
  bool bfq = fs::has_control(t.dir, "io.bfq.weight");
  if (b.weight) {
    BURROW_TRY(check_blkio_weight(*b.weight, kBlockIo + ".weight"));
    if (bfq) {
      BURROW_TRY(write_field(t, "io.bfq.weight", std::to_string(*b.weight), kBlockIo + ".weight"));
    } else {
      BURROW_TRY(require_control(t, "io.weight", kBlockIo + ".weight"));
      BURROW_TRY(write_field(t, "io.weight",
                             std::to_string(convert::blkio_weight_to_io_weight(*b.weight)),
                             kBlockIo + ".weight"));
    }
  }
  for (size_t i = 0; i < b.weight_device.size(); ++i) {
    const auto& d = b.weight_device[i];
    std::string field = kBlockIo + ".weightDevice[" + std::to_string(i) + "]";
    if (d.leaf_weight) return Error::msg(field + ".leafWeight: cgroup v2 has no leaf weights");
    if (!d.weight) continue;
    BURROW_TRY(check_blkio_weight(*d.weight, field + ".weight"));
    std::string id = device_id(d.major, d.minor);
    if (bfq) {
      BURROW_TRY(
          write_field(t, "io.bfq.weight", id + " " + std::to_string(*d.weight), field + ".weight"));
    } else {
      BURROW_TRY(require_control(t, "io.weight", field + ".weight"));
      BURROW_TRY(write_field(
          t, "io.weight", id + " " + std::to_string(convert::blkio_weight_to_io_weight(*d.weight)),
          field + ".weight"));
    }
  }
  BURROW_TRY(
      throttle_v2(t, b.throttle_read_bps_device, "rbps", kBlockIo + ".throttleReadBpsDevice"));
  BURROW_TRY(
      throttle_v2(t, b.throttle_write_bps_device, "wbps", kBlockIo + ".throttleWriteBpsDevice"));
  BURROW_TRY(
      throttle_v2(t, b.throttle_read_iops_device, "riops", kBlockIo + ".throttleReadIOPSDevice"));
  return throttle_v2(t, b.throttle_write_iops_device, "wiops",
                     kBlockIo + ".throttleWriteIOPSDevice");
}

Status unified_files(const Target& t, const std::map<std::string, std::string>& files) {
  for (const auto& [name, value] : files) {
    std::string field = "linux.resources.unified[\"" + name + "\"]";
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
      return Error::msg(field + ": unified resource must be a file name (no slashes)");
    }
    size_t dot = name.find('.');
    if (dot == std::string::npos || dot == 0) {
      return Error::msg(field + ": unified resource must be in the form CONTROLLER.PARAMETER");
    }
    if (!fs::has_control(t.dir, name)) {
      return Error::msg(field + ": no such file in " + t.dir + " (is the " + name.substr(0, dot) +
                        " controller available?)");
    }
    BURROW_TRY(write_field(t, name, value, field));
  }
  return {};
}

}  // namespace burrow::cgroups::res
