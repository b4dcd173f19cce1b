// PlacementManager: stats and OOM watching, each controller read where it lives.
#include "cgroups/backends.hpp"

namespace burrow::cgroups {

Result<Stats> PlacementManager::stats() const {
  Stats out;
  // Best effort, as runc: a controller the host lacks leaves its part zero.
  if (auto r = BURROW_TRY(route("cpu", "cpu"))) {
    BURROW_TRY(r->v2 ? stats::cpu_v2(r->placement->dir, out)
                     : stats::cpu_v1(r->placement->dir, out));
  }
  if (auto r = BURROW_TRY(route("cpuacct", "cpu")); r && !r->v2) {
    BURROW_TRY(stats::cpuacct_v1(r->placement->dir, out));
  }
  if (auto r = BURROW_TRY(route("memory", "memory"))) {
    BURROW_TRY(r->v2 ? stats::memory_v2(r->placement->dir, out)
                     : stats::memory_v1(r->placement->dir, out));
  }
  if (auto r = BURROW_TRY(route("pids", "pids"))) BURROW_TRY(stats::pids(r->placement->dir, out));
  if (auto r = BURROW_TRY(route("blkio", "io"))) {
    BURROW_TRY(r->v2 ? stats::io_v2(r->placement->dir, out)
                     : stats::blkio_v1(r->placement->dir, out));
  }
  if (auto r = BURROW_TRY(route("hugetlb", "hugetlb"))) {
    BURROW_TRY(stats::hugetlb(r->placement->dir, r->v2, out));
  }
  if (auto r = BURROW_TRY(route("cpuset", "cpuset"))) {
    BURROW_TRY(stats::cpuset(r->placement->dir, out));
  }
  return out;
}

Result<std::unique_ptr<OomWatcher>> PlacementManager::watch_oom() const {
  auto r = BURROW_TRY(route("memory", "memory"));
  if (!r) return Error::msg("the host has no memory cgroup controller", ENOTSUP);
  if (r->v2) return watch_oom_v2(r->placement->dir);
  return watch_oom_v1(ctx_, r->placement->dir);
}

}  // namespace burrow::cgroups
