// PlacementManager::apply_resources: each part of linux.resources to the hierarchy whose
// controller it needs.
#include "cgroups/backends.hpp"
#include "cgroups/fs_ops.hpp"

namespace burrow::cgroups {
namespace {

const std::string kResources = "linux.resources";

}  // namespace

Status PlacementManager::check_resources(const spec::Resources& r) const {
  if (!r.unified.empty() && !unified_mode_) {
    return Error::msg(kResources +
                          ".unified: invalid configuration: cannot use unified on cgroup v1 "
                          "(cgroup v2 files need a host whose controllers are all in cgroup v2)",
                      ENOTSUP);
  }
  return {};
}

Status PlacementManager::apply_resources(const spec::Resources& r, ApplyMode mode) {
  res::log_ignored_kernel_memory(r);
  BURROW_TRY(check_resources(r));
  // The dir to write `v1`/`v2`'s files in. On a hybrid host a controller served by the cgroup2
  // is first enabled down to the container's cgroup (a pure v2 host enabled all at create).
  auto target = [&](const std::string& v1, const std::string& v2,
                    const std::string& field) -> Result<std::pair<res::Target, bool>> {
    Route route = BURROW_TRY(require_route(v1, v2, field));
    if (route.v2 && !unified_mode_) {
      BURROW_TRY_CTX(enable_controllers(ctx_, route.placement->hierarchy.mount_point,
                                        route.placement->dir, {v2}),
                     field);
    }
    return std::pair{res::Target{ctx_, route.placement->dir, mode}, route.v2};
  };
  if (res::wants_cpuset(r)) {
    auto [t, v2] = BURROW_TRY(target("cpuset", "cpuset", kResources + ".cpu"));
    BURROW_TRY(res::cpuset(t, *r.cpu));
  }
  if (res::wants_memory(r)) {
    auto [t, v2] = BURROW_TRY(target("memory", "memory", kResources + ".memory"));
    BURROW_TRY(v2 ? res::memory_v2(t, *r.memory) : res::memory_v1(t, *r.memory));
  }
  if (res::wants_cpu(r)) {
    auto [t, v2] = BURROW_TRY(target("cpu", "cpu", kResources + ".cpu"));
    BURROW_TRY(v2 ? res::cpu_v2(t, *r.cpu) : res::cpu_v1(t, *r.cpu));
  }
  if (r.pids_limit) {
    auto [t, v2] = BURROW_TRY(target("pids", "pids", kResources + ".pids"));
    BURROW_TRY(res::pids(t, *r.pids_limit));
  }
  if (res::wants_blkio(r)) {
    auto [t, v2] = BURROW_TRY(target("blkio", "io", kResources + ".blockIO"));
    BURROW_TRY(v2 ? res::io_v2(t, *r.block_io) : res::blkio_v1(t, *r.block_io));
  }
  if (!r.hugepage_limits.empty()) {
    auto [t, v2] = BURROW_TRY(target("hugetlb", "hugetlb", kResources + ".hugepageLimits"));
    BURROW_TRY(res::hugetlb(t, r.hugepage_limits, v2));
  }
  if (!r.unified.empty()) {
    const Placement* u = unified();
    if (u == nullptr) return Error::msg(kResources + ".unified: no cgroup2 hierarchy", ENOTSUP);
    BURROW_TRY(res::unified_files(res::Target{ctx_, u->dir, mode}, r.unified));
  }
  return {};
}

}  // namespace burrow::cgroups
