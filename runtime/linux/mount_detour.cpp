#include "linux/mount_detour.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "base/syscalls.hpp"

namespace burrow::linux {

Result<MountDetour> MountDetour::enter() {
  Fd home_ns = BURROW_TRY(sys::open_path("/proc/self/ns/mnt", O_RDONLY));
  Fd home_cwd = BURROW_TRY(sys::open_path(".", O_PATH | O_DIRECTORY));
  if (::unshare(CLONE_NEWNS) < 0) return Error::from_errno("unshare a private mount namespace");
  MountDetour detour(std::move(home_ns), std::move(home_cwd));
  // Nothing mounted here may propagate back to the host's peers.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0)
    return Error::from_errno("make the private mount namespace private");
  return detour;
}

Status MountDetour::leave() {
  if (!home_ns_) return {};
  if (::setns(home_ns_.get(), CLONE_NEWNS) < 0)
    return Error::from_errno("return to the runtime's mount namespace");
  home_ns_.reset();
  if (::fchdir(home_cwd_.get()) < 0) return Error::from_errno("return to the runtime's cwd");
  home_cwd_.reset();
  return {};
}

MountDetour::~MountDetour() {
  if (!home_ns_) return;
  if (auto left = leave(); !left) spdlog::error("{}", left.error().message);
}

}  // namespace burrow::linux
