// kCopy: the layers merged into one plain directory, as overlayfs would show them. Each layer is
// walked with fds (O_NOFOLLOW everywhere: the cache holds the image's symlinks, which must be
// copied, never followed). Files are copied, never hard-linked to the cache, so the container
// cannot write through to a layer.
#include <dirent.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <map>
#include <memory>

#include "image/remove_tree.hpp"
#include "image/rootfs.hpp"

namespace burrow::shim::image {
namespace {

bool is_whiteout(const struct stat& st) {
  return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

bool is_opaque(int dir) {
  char value[4] = {};
  for (const char* name : {"trusted.overlay.opaque", "user.overlay.opaque"})
    if (::fgetxattr(dir, name, value, sizeof(value)) == 1 && value[0] == 'y') return true;
  return false;
}

class Flattener {
 public:
  explicit Flattener(std::string dest) : dest_(std::move(dest)), privilege_(current_privilege()) {}

  Status layer(const std::string& layer_dir, int dest_root);

 private:
  bool privileged() const { return privilege_ == Privilege::kHostRoot; }
  Status dir(int from, int to, const std::string& rel);
  Status entry(int from, int to, const std::string& name, const std::string& rel);
  Status copy_file(int from, int to, const std::string& name, const struct stat& st,
                   const std::string& rel);
  Status remove(int to, const std::string& name, const std::string& rel);
  Status metadata(int fd, const struct stat& st, const std::string& rel);
  Status copy_xattrs(int from, int to, const std::string& rel);

  std::string dest_;
  Privilege privilege_;
  std::map<std::pair<dev_t, ino_t>, std::string> links_;  // hard links within the current layer
};

Status Flattener::remove(int to, const std::string& name, const std::string& rel) {
  struct stat st {};
  if (::fstatat(to, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
    return errno == ENOENT ? Status{} : Error::from_errno("stat " + rel);
  if (S_ISDIR(st.st_mode)) return remove_tree(dest_ + "/" + rel);
  if (::unlinkat(to, name.c_str(), 0) < 0) return Error::from_errno("remove " + rel);
  return {};
}

Status Flattener::copy_xattrs(int from, int to, const std::string& rel) {
  ssize_t size = ::flistxattr(from, nullptr, 0);
  if (size <= 0) return {};
  std::string names(static_cast<size_t>(size), '\0');
  size = ::flistxattr(from, names.data(), names.size());
  if (size < 0) return Error::from_errno("list xattrs of " + rel);
  names.resize(static_cast<size_t>(size));
  for (size_t pos = 0; pos < names.size(); pos = names.find('\0', pos) + 1) {
    std::string name = names.c_str() + pos;
    if (name.find(".overlay.") != std::string::npos) continue;  // whiteout marks, not content
    ssize_t len = ::fgetxattr(from, name.c_str(), nullptr, 0);
    if (len < 0) continue;
    std::string value(static_cast<size_t>(len), '\0');
    len = ::fgetxattr(from, name.c_str(), value.data(), value.size());
    if (len < 0) continue;
    if (::fsetxattr(to, name.c_str(), value.data(), static_cast<size_t>(len), 0) < 0 &&
        (privileged() || (errno != EPERM && errno != EOPNOTSUPP)))
      return Error::from_errno("set xattr " + name + " on " + rel);
  }
  return {};
}

Status Flattener::metadata(int fd, const struct stat& st, const std::string& rel) {
  if (::fchown(fd, st.st_uid, st.st_gid) < 0 && !(errno == EPERM && !privileged()))
    return Error::from_errno("chown " + rel);
  if (::fchmod(fd, st.st_mode & 07777) < 0) return Error::from_errno("chmod " + rel);
  return {};
}

Status Flattener::copy_file(int from, int to, const std::string& name, const struct stat& st,
                            const std::string& rel) {
  Fd in(::openat(from, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!in) return Error::from_errno("open layer file " + rel);
  Fd out(::openat(to, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!out) return Error::from_errno("create " + rel);
  // A reflink shares blocks copy-on-write where the file system can (btrfs, xfs); else copy.
  if (::ioctl(out.get(), FICLONE, in.get()) < 0) {
    off_t left = st.st_size;
    while (left > 0) {
      ssize_t n =
          ::copy_file_range(in.get(), nullptr, out.get(), nullptr, static_cast<size_t>(left), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Error::from_errno("copy " + rel);
      if (n == 0) break;
      left -= n;
    }
  }
  BURROW_TRY(metadata(out.get(), st, rel));
  BURROW_TRY(copy_xattrs(in.get(), out.get(), rel));
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  if (::futimens(out.get(), times) < 0) return Error::from_errno("set times of " + rel);
  return {};
}

Status Flattener::entry(int from, int to, const std::string& name, const std::string& rel) {
  struct stat st {};
  if (::fstatat(from, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
    return Error::from_errno("stat layer entry " + rel);
  if (is_whiteout(st)) return remove(to, name, rel);
  if (S_ISDIR(st.st_mode)) {
    Fd sub(::openat(from, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!sub) return Error::from_errno("open layer dir " + rel);
    struct stat existing {};
    bool have = ::fstatat(to, name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0;
    if (have && (!S_ISDIR(existing.st_mode) || is_opaque(sub.get()))) {
      BURROW_TRY(remove(to, name, rel));
      have = false;
    }
    if (!have && ::mkdirat(to, name.c_str(), 0700) < 0) return Error::from_errno("mkdir " + rel);
    // A lower layer may have made it read-only; its final mode comes from this layer below.
    if (have && !privileged()) (void)::fchmodat(to, name.c_str(), existing.st_mode | 0700, 0);
    Fd out(::openat(to, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!out) return Error::from_errno("open " + rel);
    BURROW_TRY(dir(sub.get(), out.get(), rel));
    BURROW_TRY(metadata(out.get(), st, rel));
    BURROW_TRY(copy_xattrs(sub.get(), out.get(), rel));
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    if (::futimens(out.get(), times) < 0) return Error::from_errno("set times of " + rel);
    return {};
  }
  BURROW_TRY(remove(to, name, rel));
  if (S_ISREG(st.st_mode) && st.st_nlink > 1) {
    auto [it, first] = links_.try_emplace({st.st_dev, st.st_ino}, rel);
    if (!first) {
      Fd root(::open(dest_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
      if (!root || ::linkat(root.get(), it->second.c_str(), to, name.c_str(), 0) < 0)
        return Error::from_errno("hard link " + rel + " to " + it->second);
      return {};
    }
  }
  if (S_ISREG(st.st_mode)) return copy_file(from, to, name, st, rel);
  if (S_ISLNK(st.st_mode)) {
    std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
    ssize_t n = ::readlinkat(from, name.c_str(), target.data(), target.size());
    if (n < 0) return Error::from_errno("readlink " + rel);
    target.resize(static_cast<size_t>(n));
    if (::symlinkat(target.c_str(), to, name.c_str()) < 0)
      return Error::from_errno("symlink " + rel);
  } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISFIFO(st.st_mode)) {
    if (::mknodat(to, name.c_str(), st.st_mode, st.st_rdev) < 0) {
      if (errno == EPERM && !privileged()) return {};
      return Error::from_errno("mknod " + rel);
    }
    if (::fchmodat(to, name.c_str(), st.st_mode & 07777, 0) < 0)
      return Error::from_errno("chmod " + rel);
  } else {
    return {};  // sockets
  }
  if (::fchownat(to, name.c_str(), st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0 &&
      !(errno == EPERM && !privileged()))
    return Error::from_errno("chown " + rel);
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  if (::utimensat(to, name.c_str(), times, AT_SYMLINK_NOFOLLOW) < 0)
    return Error::from_errno("set times of " + rel);
  return {};
}

Status Flattener::dir(int from, int to, const std::string& rel) {
  Fd dup(::fcntl(from, F_DUPFD_CLOEXEC, 0));
  if (!dup) return Error::from_errno("dup");
  DIR* stream = ::fdopendir(dup.release());
  if (!stream) return Error::from_errno("read layer dir " + rel);
  std::unique_ptr<DIR, int (*)(DIR*)> closer(stream, ::closedir);
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(stream)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  for (const auto& name : names)
    BURROW_TRY(entry(from, to, name, rel.empty() ? name : rel + "/" + name));
  return {};
}

Status Flattener::layer(const std::string& layer_dir, int dest_root) {
  Fd from(::open(layer_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!from) return Error::from_errno("open layer " + layer_dir);
  links_.clear();
  if (!privileged()) (void)::fchmod(dest_root, 0700);  // as for directories in entry()
  BURROW_TRY_CTX(dir(from.get(), dest_root, ""), "flatten " + layer_dir);
  struct stat st {};
  if (::fstat(from.get(), &st) < 0) return Error::from_errno("stat " + layer_dir);
  return metadata(dest_root, st, ".");
}

}  // namespace

Status flatten_layers(const std::vector<std::string>& layers, const std::string& dest) {
  if (::mkdir(dest.c_str(), 0700) < 0) return Error::from_errno("mkdir " + dest);
  Fd root(::open(dest.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root) return Error::from_errno("open " + dest);
  Flattener flattener(dest);
  for (const auto& layer : layers) BURROW_TRY(flattener.layer(layer, root.get()));
  return {};
}

}  // namespace burrow::shim::image
