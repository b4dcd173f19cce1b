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

// Both return the bare errno as an Error so the caller words the message.
Result<Fd> open_beneath(int dirfd, const std::string& relative, int flags) {
  struct open_how how {};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  long fd;
  do {
    fd = sys::openat2(dirfd, relative.c_str(), &how);
  } while (fd < 0 && (errno == EAGAIN || errno == EINTR));
  if (fd < 0) return Error::from_errno("open /proc/" + relative);
  return Fd(static_cast<int>(fd));
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
  if (sysctls.empty()) return {};
  Fd proc = BURROW_TRY_CTX(open_procfs_root(), "sysctl");
  for (const auto& [key, value] : sysctls) {
    const std::string what = "write sysctl " + key + "=" + value;
    auto fd = open_beneath(proc.get(), sysctl_proc_path(key), O_WRONLY | O_TRUNC);
    if (!fd) return Error::from_errno(what, fd.error().code);
    BURROW_TRY(write_value(fd->get(), value, what));
  }
  return {};
}

}  // namespace burrow::linux
