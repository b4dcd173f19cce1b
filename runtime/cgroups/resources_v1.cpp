// linux.resources on cgroup v1 controllers (memory, cpu, blkio), following runc's fs driver:
// its write orders (memory before or after memsw, period and burst retried after the quota) and
// its error wording.
#include "cgroups/fs_ops.hpp"
#include "cgroups/resources.hpp"

namespace burrow::cgroups::res {
namespace {

const std::string kMemory = "linux.resources.memory";
const std::string kCpu = "linux.resources.cpu";
const std::string kBlockIo = "linux.resources.blockIO";

}  // namespace

Status memory_checks(const spec::MemoryResources& m) {
  if (m.swappiness && *m.swappiness > 100) {
    return Error::msg(kMemory + ".swappiness: invalid memory swappiness value: " +
                      std::to_string(*m.swappiness) + " (valid range is 0-100)");
  }
  return {};
}

Status check_usage(const Target& t, const spec::MemoryResources& m, const std::string& usage_file,
                   int64_t swap) {
  if (!m.check_before_update.value_or(false)) return {};
  auto usage = fs::read_u64(t.dir, usage_file);
  if (!usage) return {};  // best effort, as runc: a cgroup without usage yet
  if (swap > 0 && static_cast<uint64_t>(swap) <= *usage) {
    return Error::msg(kMemory + ".swap: rejecting memory+swap limit " + std::to_string(swap) +
                      " <= usage " + std::to_string(*usage));
  }
  if (m.limit && *m.limit > 0 && static_cast<uint64_t>(*m.limit) <= *usage) {
    return Error::msg(kMemory + ".limit: rejecting memory limit " + std::to_string(*m.limit) +
                      " <= usage " + std::to_string(*usage));
  }
  return {};
}

namespace {

Status set_memory_limit_v1(const Target& t, int64_t limit) {
  auto written = fs::write_control(t.ctx, t.dir, "memory.limit_in_bytes", std::to_string(limit));
  if (written) return {};
  if (written.error().code != EBUSY) return std::move(written).error().wrap(kMemory + ".limit");
  // EBUSY: below what the cgroup uses and cannot reclaim.
  auto usage = fs::read_u64(t.dir, "memory.usage_in_bytes");
  auto peak = fs::read_u64(t.dir, "memory.max_usage_in_bytes");
  return Error::msg(kMemory + ".limit: unable to set memory limit to " + std::to_string(limit) +
                        " (current usage: " + (usage ? std::to_string(*usage) : "?") +
                        ", peak usage: " + (peak ? std::to_string(*peak) : "?") + ")",
                    EBUSY);
}

Status set_memory_and_swap_v1(const Target& t, const spec::MemoryResources& m) {
  int64_t limit = m.limit.value_or(0);
  int64_t swap = m.swap.value_or(0);
  bool has_memsw = fs::has_control(t.dir, "memory.memsw.limit_in_bytes");
  // Unlimited memory without a swap value means unlimited memory+swap as well.
  if (limit == -1 && swap == 0 && has_memsw) swap = -1;
  if (swap != 0 && !has_memsw) {
    return Error::msg(kMemory +
                      ".swap: swap accounting is not available on this host (no "
                      "memory.memsw.limit_in_bytes; boot with swapaccount=1)");
  }
  BURROW_TRY(check_usage(t, m, "memory.usage_in_bytes", swap));
  auto write_swap = [&]() -> Status {
    if (swap == 0) return {};
    return write_field(t, "memory.memsw.limit_in_bytes", std::to_string(swap), kMemory + ".swap");
  };
  // The kernel keeps memory <= memory+swap at every step, so the order depends on the current
  // limit.
  if (limit != 0 && swap != 0) {
    uint64_t current = fs::read_u64_or(t.dir, "memory.limit_in_bytes", UINT64_MAX);
    if (swap == -1 || current < static_cast<uint64_t>(swap)) {
      BURROW_TRY(write_swap());
      return set_memory_limit_v1(t, limit);
    }
  }
  if (limit != 0) BURROW_TRY(set_memory_limit_v1(t, limit));
  return write_swap();
}

}  // namespace

Status memory_v1(const Target& t, const spec::MemoryResources& m) {
  BURROW_TRY(memory_checks(m));
  BURROW_TRY(set_memory_and_swap_v1(t, m));
  if (m.reservation && *m.reservation != 0) {
    BURROW_TRY(write_field(t, "memory.soft_limit_in_bytes", std::to_string(*m.reservation),
                           kMemory + ".reservation"));
  }
  if (m.disable_oom_killer.value_or(false)) {
    BURROW_TRY(write_field(t, "memory.oom_control", "1", kMemory + ".disableOOMKiller"));
  }
  if (m.swappiness) {
    BURROW_TRY(write_field(t, "memory.swappiness", std::to_string(*m.swappiness),
                           kMemory + ".swappiness"));
  }
  if (m.use_hierarchy) {
    BURROW_TRY(write_field(t, "memory.use_hierarchy", *m.use_hierarchy ? "1" : "0",
                           kMemory + ".useHierarchy"));
  }
  return {};
}

namespace {

Status set_shares_v1(const Target& t, uint64_t shares) {
  BURROW_TRY(write_field(t, "cpu.shares", std::to_string(shares), kCpu + ".shares"));
  // The kernel clamps out-of-range shares; runc reports the clamp.
  auto read = fs::read_u64(t.dir, "cpu.shares");
  if (!read || *read == shares) return {};
  if (shares > *read) {
    return Error::msg(kCpu + ".shares: the maximum allowed cpu-shares is " + std::to_string(*read));
  }
  return Error::msg(kCpu + ".shares: the minimum allowed cpu-shares is " + std::to_string(*read));
}

// Writes `value` unless the kernel refuses it with EINVAL and a quota follows that may make it
// valid: then returns true ("retry after the quota").
Result<bool> write_or_defer(const Target& t, const std::string& file, const std::string& value,
                            const std::string& field, bool quota_follows) {
  auto written = fs::write_control(t.ctx, t.dir, file, value);
  if (written) return false;
  if (written.error().code == EINVAL && quota_follows) return true;
  return std::move(written).error().wrap(field);
}

}  // namespace

Status require_control(const Target& t, const std::string& file, const std::string& field) {
  if (fs::has_control(t.dir, file)) return {};
  return Error::msg(field + ": not available on this host (no " + file + " in " + t.dir + ")");
}

Status cpu_v1(const Target& t, const spec::CpuResources& c) {
  if (c.shares && *c.shares != 0) BURROW_TRY(set_shares_v1(t, *c.shares));
  bool quota_follows = c.quota && *c.quota != 0;
  bool period_deferred = false, burst_deferred = false;
  if (c.period && *c.period != 0) {
    period_deferred = BURROW_TRY(write_or_defer(t, "cpu.cfs_period_us", std::to_string(*c.period),
                                                kCpu + ".period", quota_follows));
  }
  if (c.burst) {
    BURROW_TRY(require_control(t, "cpu.cfs_burst_us", kCpu + ".burst"));
    burst_deferred = BURROW_TRY(write_or_defer(t, "cpu.cfs_burst_us", std::to_string(*c.burst),
                                               kCpu + ".burst", quota_follows));
  }
  if (quota_follows) {
    BURROW_TRY(write_field(t, "cpu.cfs_quota_us", std::to_string(*c.quota), kCpu + ".quota"));
    if (period_deferred) {
      BURROW_TRY(write_field(t, "cpu.cfs_period_us", std::to_string(*c.period), kCpu + ".period"));
    }
    if (burst_deferred) {
      BURROW_TRY(write_field(t, "cpu.cfs_burst_us", std::to_string(*c.burst), kCpu + ".burst"));
    }
  }
  // Realtime: the period first, so the runtime fits in it.
  if (c.realtime_period && *c.realtime_period != 0) {
    BURROW_TRY(require_control(t, "cpu.rt_period_us", kCpu + ".realtimePeriod"));
    BURROW_TRY(write_field(t, "cpu.rt_period_us", std::to_string(*c.realtime_period),
                           kCpu + ".realtimePeriod"));
  }
  if (c.realtime_runtime && *c.realtime_runtime != 0) {
    BURROW_TRY(require_control(t, "cpu.rt_runtime_us", kCpu + ".realtimeRuntime"));
    BURROW_TRY(write_field(t, "cpu.rt_runtime_us", std::to_string(*c.realtime_runtime),
                           kCpu + ".realtimeRuntime"));
  }
  if (c.idle) {
    BURROW_TRY(require_control(t, "cpu.idle", kCpu + ".idle"));
    BURROW_TRY(write_field(t, "cpu.idle", std::to_string(*c.idle), kCpu + ".idle"));
  }
  return {};
}

namespace {

std::string device_line(int64_t major, int64_t minor, const std::string& value) {
  return std::to_string(major) + ":" + std::to_string(minor) + " " + value;
}

Status throttle_v1(const Target& t, const std::vector<spec::ThrottleDevice>& devices,
                   const std::string& file, const std::string& field) {
  for (size_t i = 0; i < devices.size(); ++i) {
    const auto& d = devices[i];
    BURROW_TRY(write_field(t, file, device_line(d.major, d.minor, std::to_string(d.rate)),
                           field + "[" + std::to_string(i) + "]"));
  }
  return {};
}

// blkio.weight (CFQ) or blkio.bfq.weight (BFQ), whichever the kernel has.
Result<std::string> weight_file(const Target& t, const std::string& name,
                                const std::string& field) {
  if (fs::has_control(t.dir, "blkio." + name)) return "blkio." + name;
  if (fs::has_control(t.dir, "blkio.bfq." + name)) return "blkio.bfq." + name;
  return Error::msg(field + ": not available on this host (neither blkio." + name +
                    " nor blkio.bfq." + name + " in " + t.dir +
                    "; the disk's I/O scheduler has no weights)");
}

}  // namespace

Status blkio_v1(const Target& t, const spec::BlockIoResources& b) {
  if (b.weight) {
    std::string file = BURROW_TRY(weight_file(t, "weight", kBlockIo + ".weight"));
    BURROW_TRY(write_field(t, file, std::to_string(*b.weight), kBlockIo + ".weight"));
  }
  if (b.leaf_weight) {
    BURROW_TRY(require_control(t, "blkio.leaf_weight", kBlockIo + ".leafWeight"));
    BURROW_TRY(write_field(t, "blkio.leaf_weight", std::to_string(*b.leaf_weight),
                           kBlockIo + ".leafWeight"));
  }
  for (size_t i = 0; i < b.weight_device.size(); ++i) {
    const auto& d = b.weight_device[i];
    std::string field = kBlockIo + ".weightDevice[" + std::to_string(i) + "]";
    if (d.weight) {
      std::string file = BURROW_TRY(weight_file(t, "weight_device", field + ".weight"));
      BURROW_TRY(write_field(t, file, device_line(d.major, d.minor, std::to_string(*d.weight)),
                             field + ".weight"));
    }
    if (d.leaf_weight) {
      BURROW_TRY(require_control(t, "blkio.leaf_weight_device", field + ".leafWeight"));
      BURROW_TRY(write_field(t, "blkio.leaf_weight_device",
                             device_line(d.major, d.minor, std::to_string(*d.leaf_weight)),
                             field + ".leafWeight"));
    }
  }
  BURROW_TRY(throttle_v1(t, b.throttle_read_bps_device, "blkio.throttle.read_bps_device",
                         kBlockIo + ".throttleReadBpsDevice"));
  BURROW_TRY(throttle_v1(t, b.throttle_write_bps_device, "blkio.throttle.write_bps_device",
                         kBlockIo + ".throttleWriteBpsDevice"));
  BURROW_TRY(throttle_v1(t, b.throttle_read_iops_device, "blkio.throttle.read_iops_device",
                         kBlockIo + ".throttleReadIOPSDevice"));
  return throttle_v1(t, b.throttle_write_iops_device, "blkio.throttle.write_iops_device",
                     kBlockIo + ".throttleWriteIOPSDevice");
}

}  // namespace burrow::cgroups::res
