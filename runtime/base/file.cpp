#include "base/file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <memory>

#include "base/fd.hpp"

namespace burrow::file {
namespace {

Status write_fd(int fd, const std::string& data, const std::string& what) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("write " + what);
    }
    off += static_cast<size_t>(n);
  }
  return {};
}

}  // namespace

Result<std::string> read_fd(int fd, const std::string& what) {
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("read " + what);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

Result<std::string> read(const std::string& path) {
  return read_at(AT_FDCWD, path);
}

Result<std::string> read_at(int dirfd, const std::string& name) {
  Fd fd(::openat(dirfd, name.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno("open " + name);
  return read_fd(fd.get(), name);
}

Status write(const std::string& path, const std::string& data) {
  return write_at(AT_FDCWD, path, data);
}

Status write_at(int dirfd, const std::string& name, const std::string& data) {
  Fd fd(::openat(dirfd, name.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
  if (!fd) return Error::from_errno("open " + name);
  return write_fd(fd.get(), data, name);
}

Status write_atomic(const std::string& path, const std::string& data, mode_t mode) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (!fd) return Error::from_errno("create " + tmp);
  auto st = write_fd(fd.get(), data, tmp);
  if (st && ::fchmod(fd.get(), mode) < 0) st = Error::from_errno("chmod " + tmp);
  if (st && ::fsync(fd.get()) < 0) st = Error::from_errno("fsync " + tmp);
  fd.reset();
  if (st && ::rename(tmp.c_str(), path.c_str()) < 0) st = Error::from_errno("rename to " + path);
  if (!st) ::unlink(tmp.c_str());
  return st;
}

Status mkdir_all(const std::string& path, mode_t mode) {
  std::string cur;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    cur = path.substr(0, pos);
    if (cur.empty()) continue;
    if (::mkdir(cur.c_str(), mode) == 0) continue;
    if (errno != EEXIST) return Error::from_errno("mkdir " + cur);
    if (pos != std::string::npos) continue;  // a file on the way: the next mkdir says ENOTDIR
    struct stat st {};
    if (::stat(cur.c_str(), &st) < 0) return Error::from_errno("stat " + cur);
    if (!S_ISDIR(st.st_mode)) return Error::from_errno("mkdir " + cur, ENOTDIR);
  }
  return {};
}

namespace {

// Removes what `dir` (an open directory on device `dev`) holds, then nothing else. A directory on
// another device is a mount point: refused, so a mount left below a state dir (or a bind of a
// host directory) never has its contents deleted.
Status remove_contents(int dir, dev_t dev, const std::string& path) {
  Fd dup(::dup(dir));
  if (!dup) return Error::from_errno("dup " + path);
  DIR* stream = ::fdopendir(dup.release());
  if (!stream) return Error::from_errno("open directory " + path);
  std::unique_ptr<DIR, int (*)(DIR*)> closer(stream, ::closedir);
  while (struct dirent* entry = ::readdir(stream)) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    std::string child = path + "/" + name;
    struct stat st {};
    if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
      return Error::from_errno("stat " + child);
    if (S_ISDIR(st.st_mode)) {
      if (st.st_dev != dev) return Error::from_errno("remove " + child + ": a mount point", EBUSY);
      Fd sub(::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!sub) return Error::from_errno("open " + child);
      BURROW_TRY(remove_contents(sub.get(), dev, child));
    }
    if (::unlinkat(dir, name.c_str(), S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0)
      return Error::from_errno("remove " + child);
  }
  return {};
}

}  // namespace

Status remove_all(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) < 0) {
    if (errno == ENOENT) return {};
    return Error::from_errno("stat " + path);
  }
  if (S_ISDIR(st.st_mode)) {
    Fd dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir) return Error::from_errno("open " + path);
    BURROW_TRY(remove_contents(dir.get(), st.st_dev, path));
  }
  if (::remove(path.c_str()) < 0 && errno != ENOENT) return Error::from_errno("remove " + path);
  return {};
}

}  // namespace burrow::file
