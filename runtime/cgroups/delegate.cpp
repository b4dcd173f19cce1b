// PlacementManager: delegation of the container's cgroups, and exec's placement next to the init
// once a delegated container has reorganised its subtree.
#include <fcntl.h>
#include <unistd.h>

#include "base/file.hpp"
#include "base/syscalls.hpp"
#include "cgroups/backends.hpp"
#include "cgroups/fs_ops.hpp"

namespace burrow::cgroups {
namespace {

Status change_owner(const std::string& path, const Owner& owner) {
  if (::fchownat(AT_FDCWD, path.c_str(), owner.uid, owner.gid, AT_SYMLINK_NOFOLLOW) < 0)
    return Error::from_errno("chown " + path + " to " + std::to_string(owner.uid) + ":" +
                             std::to_string(owner.gid));
  return {};
}

}  // namespace

Status PlacementManager::delegate(const Owner& owner) {
  for (const auto& p : placements_) {
    BURROW_TRY_CTX(change_owner(p.dir, owner), "delegate cgroup");
    for (const auto& name : delegated_files(p.hierarchy.unified, ctx_.kernel_delegate_list)) {
      // A knob of a controller the cgroup does not have (memory.reclaim without memory) is
      // simply not there.
      if (!fs::has_control(p.dir, name)) continue;
      BURROW_TRY_CTX(change_owner(p.dir + "/" + name, owner), "delegate cgroup");
    }
  }
  return {};
}

Result<std::string> PlacementManager::peer_dir(const Placement& p, pid_t peer) const {
  std::string proc = "/proc/" + std::to_string(peer) + "/cgroup";
  std::string text = BURROW_TRY(file::read(proc));
  std::string dir = BURROW_TRY_CTX(process_cgroup_dir(p.hierarchy, text), proc);
  if (!is_same_or_below(dir, p.dir)) {
    return Error::msg("the init's cgroup " + dir + " is not within the container's cgroup " + p.dir,
                      EPERM);
  }
  return dir;
}

Status PlacementManager::add_process_near(pid_t pid, pid_t peer) {
  for (const auto& p : placements_) {
    auto joined = fs::write_control(ctx_, p.dir, "cgroup.procs", std::to_string(pid));
    if (joined) continue;
    if (joined.error().code != EBUSY) return std::move(joined).error().wrap("join cgroup " + p.dir);
    std::string dir = BURROW_TRY_CTX(peer_dir(p, peer), "join cgroup " + p.dir + " (busy)");
    BURROW_TRY_CTX(fs::write_control(ctx_, dir, "cgroup.procs", std::to_string(pid)),
                   "join cgroup " + dir);
  }
  return {};
}

Result<Fd> PlacementManager::open_unified_dir_of(pid_t peer) const {
  const Placement* p = unified();
  if (p == nullptr) return Error::msg("no cgroup2 hierarchy on this host", ENOENT);
  std::string dir = BURROW_TRY(peer_dir(*p, peer));
  return sys::open_path(dir, O_RDONLY | O_DIRECTORY);
}

}  // namespace burrow::cgroups
