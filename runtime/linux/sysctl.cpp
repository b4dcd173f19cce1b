#include "linux/sysctl.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>

#include "base/syscalls.hpp"

namespace burrow::linux {
namespace {

Result<Fd> open_procfs_root() {
  Fd proc(::open("/proc", O_DIRECTORY | O_PATH | O_CLOEXEC));
  if (!proc) return Error::from_errno("open /proc");
  struct statfs fs {};
  if (::fstatfs(proc.get(), &fs) < 0) return Error::from_errno("statfs /proc");
  if (fs.f_type != PROC_SUPER_MAGIC) return Error::msg("/proc is not a procfs mount", EXDEV);
  return proc;
}

// Under /proc, never leaving the procfs mount: a symlink, a magic link, ".." or a mount on the
// way (a bind over /proc/sys, say) fails the open, and the file must be procfs's own.
Result<Fd> open_beneath(int proc_fd, const std::string& relative, int flags) {
  constexpr uint64_t kResolve =
      RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
  auto fd = sys::open_resolved(proc_fd, relative, flags, kResolve);
  if (!fd && fd.error().code == EXDEV) {
    bool climbs = ("/" + relative + "/").find("/../") != std::string::npos;
    return Error::msg("/proc/" + relative +
                          (climbs ? " leads out of /proc"
                                  : ": something other than procfs is "
                                    "mounted on the way"),
                      EXDEV);
  }
  if (!fd) return Error::from_errno("open /proc/" + relative, fd.error().code);
  struct statfs fs {};
  if (::fstatfs(fd->get(), &fs) < 0) return Error::from_errno("statfs /proc/" + relative);
  if (fs.f_type != PROC_SUPER_MAGIC)
    return Error::msg("/proc/" + relative + " is not a procfs file", EXDEV);
  return fd;
}

Status write_value(int fd, const std::string& value, const std::string& what) {
  // A /proc/sys value is taken in one write; a short write means the kernel cut it.
  ssize_t n;
  do {
    n = ::write(fd, value.data(), value.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) return Error::from_errno(what);
  if (static_cast<size_t>(n) != value.size()) return Error::msg(what + ": short write", EIO);
  return {};
}

}  // namespace

Result<Fd> open_proc_file(const std::string& relative, int flags) {
  Fd proc = BURROW_TRY(open_procfs_root());
  return open_beneath(proc.get(), relative, flags);
}

std::string sysctl_proc_path(const std::string& key) {
  std::string path = key;
  if (path.find('/') == std::string::npos) std::replace(path.begin(), path.end(), '.', '/');
  return "sys/" + path;
}

Status apply_sysctls(const std::map<std::string, std::string>& sysctls) {
  for (const auto& [key, value] : sysctls) {
    const std::string what = "write sysctl " + key + "=" + value;
    Fd proc = BURROW_TRY_CTX(open_procfs_root(), what);
    auto fd = open_beneath(proc.get(), sysctl_proc_path(key), O_WRONLY | O_TRUNC);
    if (!fd && fd.error().code == EXDEV) return std::move(fd).error().wrap(what);
    if (!fd) return Error::from_errno(what, fd.error().code);
    BURROW_TRY(write_value(fd->get(), value, what));
  }
  return {};
}

}  // namespace burrow::linux
