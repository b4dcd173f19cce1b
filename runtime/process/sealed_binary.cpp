#include "process/sealed_binary.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <sstream>

#include "base/fd.hpp"
#include "base/file.hpp"

extern char** environ;

namespace burrow::process {
namespace {

constexpr int kRequiredSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;

Result<Fd> make_sealed_copy() {
  Fd exe(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!exe) return Error::from_errno("open /proc/self/exe");
  struct stat st {};
  if (::fstat(exe.get(), &st) < 0) return Error::from_errno("stat /proc/self/exe");
  Fd copy(::memfd_create("burrow", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!copy) return Error::from_errno("memfd_create");
  off_t offset = 0;
  while (offset < st.st_size) {
    ssize_t n =
        ::sendfile(copy.get(), exe.get(), &offset, static_cast<size_t>(st.st_size - offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::from_errno("copy /proc/self/exe to memfd");
  }
  if (::fcntl(copy.get(), F_ADD_SEALS, kRequiredSeals) < 0) return Error::from_errno("seal memfd");
  return copy;
}

// Overlay's lowerdir list separates layers with ':' and, on kernels that pass the options as one
// legacy string, options with ','. Paths holding either are left to the memfd copy.
bool usable_as_lower_layer(const std::string& path) {
  return !path.empty() && path.front() == '/' && path.find_first_of(":,\\") == std::string::npos;
}

Status set_string(int context, const char* key, const std::string& value) {
  if (::syscall(SYS_fsconfig, context, FSCONFIG_SET_STRING, key, value.c_str(), 0) < 0)
    return Error::from_errno(std::string("fsconfig ") + key + "=" + value);
  return {};
}

// The binary as seen through a detached overlay of its directory (top layer) and `spare_dir`.
Result<Fd> open_through_overlay(const std::string& spare_dir) {
  char target[PATH_MAX];
  ssize_t length = ::readlink("/proc/self/exe", target, sizeof target - 1);
  if (length <= 0) return Error::from_errno("readlink /proc/self/exe");
  std::string exe(target, static_cast<size_t>(length));
  size_t slash = exe.rfind('/');
  if (slash == std::string::npos) return Error(EINVAL, "binary path " + exe + " is not absolute");
  std::string dir = slash == 0 ? "/" : exe.substr(0, slash);
  std::string name = exe.substr(slash + 1);
  if (!usable_as_lower_layer(dir) || !usable_as_lower_layer(spare_dir))
    return Error(EINVAL, "paths unusable as overlay layers");

  Fd context(static_cast<int>(::syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC)));
  if (!context) return Error::from_errno("fsopen overlay");
  BURROW_TRY(set_string(context.get(), "lowerdir", dir + ":" + spare_dir));
  // xino is of no use here and logs to dmesg when the layers sit on different filesystems.
  (void)set_string(context.get(), "xino", "off");
  if (::syscall(SYS_fsconfig, context.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0)
    return Error::from_errno("fsconfig create overlay");
  Fd mount(static_cast<int>(::syscall(SYS_fsmount, context.get(), FSMOUNT_CLOEXEC,
                                      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID)));
  if (!mount) return Error::from_errno("fsmount overlay");
  Fd binary(::openat(mount.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!binary) return Error::from_errno("open " + name + " through the overlay");
  return binary;
}

// Is the mount with this id absent from our mount namespace (a detached mount)?
bool mount_is_detached(uint64_t mount_id) {
  auto mountinfo = file::read("/proc/self/mountinfo");
  if (!mountinfo) return false;
  std::istringstream lines(*mountinfo);
  std::string line;
  while (std::getline(lines, line)) {
    if (std::strtoull(line.c_str(), nullptr, 10) == mount_id) return false;
  }
  return true;
}

bool is_sealed_overlay(int exe) {
  struct statfs fs {};
  if (::fstatfs(exe, &fs) < 0 || fs.f_type != OVERLAYFS_SUPER_MAGIC) return false;
  if ((fs.f_flags & ST_RDONLY) == 0) return false;
  struct statx stx {};
  if (::statx(exe, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0 || !(stx.stx_mask & STATX_MNT_ID))
    return false;
  // An installed binary on a read-only mount of some overlay with an upper layer would also
  // match the checks above; only our own detached mount is known to be lower-only.
  return mount_is_detached(stx.stx_mnt_id);
}

}  // namespace

SealedView running_sealed_view() {
  Fd exe(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!exe) return SealedView::none;
  int seals = ::fcntl(exe.get(), F_GET_SEALS);
  if (seals >= 0 && (seals & kRequiredSeals) == kRequiredSeals) return SealedView::memfd;
  if (is_sealed_overlay(exe.get())) return SealedView::overlay;
  return SealedView::none;
}

Status reexec_from_sealed_copy(char** argv, const std::string& spare_dir) {
  if (running_from_sealed_copy()) return {};
  Result<Fd> view = spare_dir.empty() ? Result<Fd>(Error(EINVAL, "no spare directory"))
                                      : open_through_overlay(spare_dir);
  if (!view) view = make_sealed_copy();
  if (!view) return view.error();
  ::execveat(view->get(), "", argv, environ, AT_EMPTY_PATH);
  return Error::from_errno("re-exec from sealed copy");
}

}  // namespace burrow::process
