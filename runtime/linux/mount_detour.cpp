#include "linux/mount_detour.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "base/syscalls.hpp"

namespace burrow::linux {

Result<MountDetour> MountDetour::enter() {
  Fd home_ns = BURROW_TRY(sys::open_path("/proc/self/ns/mnt", O_RDONLY));
  Fd home_cwd = BURROW_TRY(sys::open_path(".", O_PATH | O_DIRECTORY));
  if (::unshare(CLONE_NEWNS) < 0) return Error::from_errno("unshare a private mount namespace");
  MountDetour detour(std::move(home_ns), std::move(home_cwd));
  // Nothing mounted here may propagate back to the host's peers; what the host mounts later
  // still reaches the container's mounts that are its slaves, as without the detour.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) < 0)
    return Error::from_errno("make the private mount namespace a slave of the host's");
  return detour;
}

bool searchable_by(const std::string& path, uid_t uid, gid_t gid) {
  auto may_search = [&](const std::string& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) < 0 || !S_ISDIR(st.st_mode)) return false;
    if (st.st_uid == uid) return (st.st_mode & S_IXUSR) != 0;
    if (st.st_gid == gid) return (st.st_mode & S_IXGRP) != 0;
    return (st.st_mode & S_IXOTH) != 0;
  };
  if (!may_search("/")) return false;
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string dir = path.substr(0, slash);
    if (dir.size() > 1 && !may_search(dir)) return false;
    if (slash == std::string::npos) return true;
  }
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
