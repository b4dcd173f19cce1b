// The parts of linux.resources that read the same on v1 and v2: cpuset, pids, hugetlb, and the
// write helper every controller uses.
#include <cctype>
#include <utility>

#include <spdlog/spdlog.h>

#include "cgroups/convert.hpp"
#include "cgroups/fs_ops.hpp"
#include "cgroups/resources.hpp"

namespace burrow::cgroups::res {

Status write_field(const Target& t, const std::string& file, const std::string& value,
                   const std::string& field) {
  auto written = fs::write_control(t.ctx, t.dir, file, value);
  if (!written) return std::move(written).error().wrap(field);
  return {};
}

Status cpuset(const Target& t, const spec::CpuResources& c) {
  // runc writes cpus then mems; an empty string leaves the file alone.
  if (!c.cpus.empty()) {
    BURROW_TRY(write_field(t, "cpuset.cpus", c.cpus, "linux.resources.cpu.cpus"));
  }
  if (!c.mems.empty()) {
    BURROW_TRY(write_field(t, "cpuset.mems", c.mems, "linux.resources.cpu.mems"));
  }
  return {};
}

Status pids(const Target& t, int64_t limit) {
  return write_field(t, "pids.max", convert::pids_max(limit), "linux.resources.pids.limit");
}

namespace {

// "2MB", "1GB", "64KB": what the kernel names its hugetlb files after.
bool valid_page_size(const std::string& size) {
  if (size.size() < 3) return false;
  std::string unit = size.substr(size.size() - 2);
  if (unit != "KB" && unit != "MB" && unit != "GB") return false;
  for (size_t i = 0; i + 2 < size.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(size[i]))) return false;
  }
  return true;
}

}  // namespace

Status hugetlb(const Target& t, const std::vector<spec::HugepageLimit>& limits, bool v2) {
  for (size_t i = 0; i < limits.size(); ++i) {
    const auto& limit = limits[i];
    std::string field = "linux.resources.hugepageLimits[" + std::to_string(i) + "]";
    if (!valid_page_size(limit.page_size)) {
      return Error::msg(field + ".pageSize: invalid page size \"" + limit.page_size +
                        "\" (want a size such as 2MB or 1GB)");
    }
    std::string file = "hugetlb." + limit.page_size + (v2 ? ".max" : ".limit_in_bytes");
    if (!fs::has_control(t.dir, file)) {
      return Error::msg(field + ".pageSize: the host has no " + limit.page_size +
                        " huge pages (no " + file + " in " + t.dir + ")");
    }
    BURROW_TRY(write_field(t, file, std::to_string(limit.limit), field + ".limit"));
  }
  return {};
}

bool wants_memory(const spec::Resources& r) {
  if (!r.memory) return false;
  const auto& m = *r.memory;
  return m.limit || m.reservation || m.swap || m.swappiness || m.disable_oom_killer ||
         m.use_hierarchy || m.check_before_update;
}

void log_ignored_kernel_memory(const spec::Resources& r) {
  if (!r.memory) return;
  for (const auto& [field, value] :
       {std::pair{"kernel", r.memory->kernel}, std::pair{"kernelTCP", r.memory->kernel_tcp}}) {
    if (value)
      spdlog::debug(
          "linux.resources.memory.{}: {} ignored, as runc ignores it (kernel memory "
          "limits are deprecated since Linux 5.4 and cgroup v2 has none)",
          field, *value);
  }
}

bool wants_cpu(const spec::Resources& r) {
  if (!r.cpu) return false;
  const auto& c = *r.cpu;
  return c.shares || c.quota || c.burst || c.period || c.realtime_runtime || c.realtime_period ||
         c.idle;
}

bool wants_cpuset(const spec::Resources& r) {
  return r.cpu && (!r.cpu->cpus.empty() || !r.cpu->mems.empty());
}

bool wants_blkio(const spec::Resources& r) {
  if (!r.block_io) return false;
  const auto& b = *r.block_io;
  return b.weight || b.leaf_weight || !b.weight_device.empty() ||
         !b.throttle_read_bps_device.empty() || !b.throttle_write_bps_device.empty() ||
         !b.throttle_read_iops_device.empty() || !b.throttle_write_iops_device.empty();
}

}  // namespace burrow::cgroups::res
