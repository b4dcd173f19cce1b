// The parent's detour through a private mount namespace while it clones the init.
//
// Mounts the parent makes there are invisible to the host, and end with the namespace: when the
// parent leaves (or dies), nothing is left to clean up. The init's mount namespace is then copied
// from this one, and because the copy belongs to a less privileged user namespace, the kernel
// locks every mount it inherits together (MNT_LOCKED): container root may not unmount a mask
// staged here to see what it covers (host_sysfs.hpp). The cwd of the parent is carried into the
// copy by the kernel, which is how the init finds what was staged without a host path.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/error.hpp"
#include "base/fd.hpp"

namespace burrow::linux {

// Whether `uid`/`gid` (no capabilities over them) may search every directory of the absolute
// `path`, itself included: else a container root that is that host id cannot reach it by path.
bool searchable_by(const std::string& path, uid_t uid, gid_t gid);

class MountDetour {
 public:
  // unshare(CLONE_NEWNS) and make every mount private there, remembering the mount namespace and
  // cwd to come back to. The caller must be single-threaded (setns of a mount namespace is).
  static Result<MountDetour> enter();

  MountDetour(MountDetour&&) noexcept = default;
  MountDetour& operator=(MountDetour&&) = delete;
  MountDetour(const MountDetour&) = delete;
  ~MountDetour();

  // Back into the mount namespace and cwd of before; the private namespace lives on only in the
  // processes cloned meanwhile.
  Status leave();

 private:
  MountDetour(Fd home_ns, Fd home_cwd)
      : home_ns_(std::move(home_ns)), home_cwd_(std::move(home_cwd)) {}
  Fd home_ns_;
  Fd home_cwd_;
};

}  // namespace burrow::linux
