#include "cgroups/context.hpp"

#include "base/file.hpp"

namespace burrow::cgroups {

Result<CgroupsContext> host_context() {
  CgroupsContext ctx;
  ctx.mountinfo = BURROW_TRY(file::read("/proc/self/mountinfo"));
  ctx.self_cgroup = BURROW_TRY(file::read("/proc/self/cgroup"));
  // Older kernels have no list (delegated_files then names the classic three).
  auto delegate_list = file::read("/sys/kernel/cgroup/delegate");
  if (delegate_list) ctx.kernel_delegate_list = std::move(delegate_list).value();
  return ctx;
}

}  // namespace burrow::cgroups
