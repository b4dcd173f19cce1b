#include "image/rootfs.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "base/file.hpp"
#include "image/remove_tree.hpp"

namespace burrow::shim::image {
namespace {

// Characters overlayfs's option parser treats specially in a path.
bool needs_escaping(const std::string& path) {
  return path.find_first_of(":,\\") != std::string::npos;
}

std::string join_lowers(const std::vector<std::string>& top_first) {
  std::string out;
  for (const auto& dir : top_first) out += (out.empty() ? "" : ":") + dir;
  return out;
}

// mount(2) with the page-sized data limit in mind; returns false (no error) when `options`
// does not fit.
Result<bool> mount_with_options(const std::string& target, const std::string& options) {
  if (options.size() >= static_cast<size_t>(::sysconf(_SC_PAGESIZE))) return false;
  if (::mount("overlay", target.c_str(), "overlay", 0, options.c_str()) < 0)
    return Error::from_errno("mount overlay on " + target);
  return true;
}

// The new mount API, one lower layer per fsconfig call ("lowerdir+", Linux 6.8).
Status mount_appending_lowers(const std::vector<std::string>& top_first, const std::string& upper,
                              const std::string& work, const std::string& extra,
                              const std::string& target) {
  Fd fs(::fsopen("overlay", FSOPEN_CLOEXEC));
  if (!fs) return Error::from_errno("fsopen overlay");
  auto set = [&](const char* key, const std::string& value) -> Status {
    if (::fsconfig(fs.get(), FSCONFIG_SET_STRING, key, value.c_str(), 0) < 0)
      return Error::from_errno(std::string("overlay option ") + key + "=" + value);
    return {};
  };
  for (const auto& dir : top_first) {
    if (auto st = set("lowerdir+", dir); !st) {
      return Error::msg(std::to_string(top_first.size()) +
                            " layers do not fit in overlay's lowerdir option, and this kernel "
                            "cannot append them one by one (lowerdir+, Linux 6.8+): " +
                            st.error().message,
                        st.error().code);
    }
  }
  BURROW_TRY(set("upperdir", upper));
  BURROW_TRY(set("workdir", work));
  if (!extra.empty() && ::fsconfig(fs.get(), FSCONFIG_SET_FLAG, extra.c_str(), nullptr, 0) < 0)
    return Error::from_errno("overlay option " + extra);
  if (::fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0)
    return Error::from_errno("create overlay for " + target);
  Fd mnt(::fsmount(fs.get(), FSMOUNT_CLOEXEC, 0));
  if (!mnt) return Error::from_errno("fsmount overlay");
  if (::move_mount(mnt.get(), "", AT_FDCWD, target.c_str(), MOVE_MOUNT_F_EMPTY_PATH) < 0)
    return Error::from_errno("move overlay mount to " + target);
  return {};
}

// Mounts the overlay, trying ever shorter ways of naming the layers (see rootfs.hpp).
Status mount_overlay(const std::vector<std::string>& layers, const std::string& upper,
                     const std::string& work, const std::string& target) {
  std::vector<std::string> top_first(layers.rbegin(), layers.rend());
  // Layers unpacked without privilege mark opaque dirs with user.overlay.*; overlay reads those
  // only with `userxattr` (which it allows only inside a user namespace).
  std::string extra = current_privilege() == Privilege::kHostRoot ? "" : "userxattr";
  auto options = [&](const std::vector<std::string>& lowers, const std::string& up,
                     const std::string& wk) {
    return "lowerdir=" + join_lowers(lowers) + ",upperdir=" + up + ",workdir=" + wk +
           (extra.empty() ? "" : "," + extra);
  };
  bool plain = std::none_of(top_first.begin(), top_first.end(), needs_escaping) &&
               !needs_escaping(upper) && !needs_escaping(work);
  if (plain && BURROW_TRY(mount_with_options(target, options(top_first, upper, work)))) return {};

  // O_PATH fds, named by /proc/self/fd/N: overlay resolves them when mounting, so they need to
  // live only until mount(2) returns.
  std::vector<Fd> held;
  auto short_name = [&](const std::string& dir) -> Result<std::string> {
    Fd fd(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!fd) return Error::from_errno("open layer " + dir);
    std::string name = "/proc/self/fd/" + std::to_string(fd.get());
    held.push_back(std::move(fd));
    return name;
  };
  std::vector<std::string> short_lowers;
  for (const auto& dir : top_first) short_lowers.push_back(BURROW_TRY(short_name(dir)));
  std::string short_upper = BURROW_TRY(short_name(upper));
  std::string short_work = BURROW_TRY(short_name(work));
  if (BURROW_TRY(mount_with_options(target, options(short_lowers, short_upper, short_work))))
    return {};
  return mount_appending_lowers(short_lowers, short_upper, short_work, extra, target);
}

// A fresh directory for this container's writes; an existing one is refused (a scratch dir
// shared by two containers would mix their files).
Status make_fresh_dir(const std::string& path, mode_t mode) {
  if (::mkdir(path.c_str(), mode) < 0) {
    if (errno == EEXIST)
      return Error::msg(path + " already exists (scratch dirs are per container)", EEXIST);
    return Error::from_errno("mkdir " + path);
  }
  return {};
}

}  // namespace

Rootfs::Rootfs(Rootfs&& other) noexcept
    : path_(std::move(other.path_)),
      mode_(other.mode_),
      mounted_(std::exchange(other.mounted_, false)),
      scratch_(std::exchange(other.scratch_, {})) {}

Rootfs& Rootfs::operator=(Rootfs&& other) noexcept {
  if (this != &other) {
    (void)release();
    path_ = std::move(other.path_);
    mode_ = other.mode_;
    mounted_ = std::exchange(other.mounted_, false);
    scratch_ = std::exchange(other.scratch_, {});
  }
  return *this;
}

Rootfs::~Rootfs() {
  (void)release();
}

Status Rootfs::release() {
  Status first;
  if (mounted_) {
    if (::umount2(path_.c_str(), MNT_DETACH) < 0 && errno != EINVAL)
      first = Error::from_errno("unmount " + path_);
    else
      mounted_ = false;
  }
  // Never remove what is still mounted: the upperdir is the container's live root.
  if (mounted_) return first;
  std::vector<std::string> left;
  for (const auto& dir : scratch_) {
    if (auto st = remove_tree(dir); !st) {
      if (first) first = std::move(st);
      left.push_back(dir);
    }
  }
  scratch_ = std::move(left);
  return first;
}

Result<Rootfs> mount_rootfs(const std::vector<std::string>& layers, const std::string& scratch_dir,
                            const std::string& target, RootfsMode mode) {
  if (layers.empty()) return Error::msg("rootfs for " + target + ": the image has no layers");
  BURROW_TRY(file::mkdir_all(scratch_dir, 0700));
  if (mode != RootfsMode::kCopy) {
    std::string upper = scratch_dir + "/upper", work = scratch_dir + "/work";
    BURROW_TRY(make_fresh_dir(upper, 0755));
    Rootfs made(target, RootfsMode::kOverlay, false, {upper});
    BURROW_TRY(make_fresh_dir(work, 0700));
    made.scratch_.push_back(work);
    // The overlay's root directory is the upperdir's: give it the top layer's root's owner and
    // mode, so "/" belongs to the container's (maybe shifted) root.
    struct stat top {};
    if (::stat(layers.back().c_str(), &top) < 0) return Error::from_errno("stat " + layers.back());
    if (::chown(upper.c_str(), top.st_uid, top.st_gid) < 0 && errno != EPERM)
      return Error::from_errno("chown " + upper);
    if (::chmod(upper.c_str(), top.st_mode & 07777) < 0) return Error::from_errno("chmod " + upper);
    auto st = mount_overlay(layers, upper, work, target);
    if (st) {
      made.mounted_ = true;
      return made;
    }
    if (mode == RootfsMode::kOverlay || st.error().code != EPERM)
      return std::move(st).error().wrap("rootfs");
    BURROW_TRY(made.release());  // kAuto: no privilege to mount; copy instead
  }
  std::string dest = scratch_dir + "/rootfs";
  Rootfs made(dest, RootfsMode::kCopy, false, {});
  if (::access(dest.c_str(), F_OK) == 0)
    return Error::msg(dest + " already exists (scratch dirs are per container)", EEXIST);
  made.scratch_.push_back(dest);
  BURROW_TRY_CTX(flatten_layers(layers, dest), "rootfs");
  return made;
}

}  // namespace burrow::shim::image
