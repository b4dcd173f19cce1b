#include "cgroups/context.hpp"

#include "base/file.hpp"

namespace burrow::cgroups {

Result<CgroupsContext> host_context() {
  CgroupsContext ctx;
  ctx.mountinfo = BURROW_TRY(file::read("/proc/self/mountinfo"));
  ctx.self_cgroup = BURROW_TRY(file::read("/proc/self/cgroup"));
  return ctx;
}

}  // namespace burrow::cgroups
