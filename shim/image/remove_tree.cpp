#include "image/remove_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <vector>

#include "base/fd.hpp"

namespace burrow::shim::image {
namespace {

Status remove_contents(int dir, dev_t dev, const std::string& path) {
  Fd dup(::fcntl(dir, F_DUPFD_CLOEXEC, 0));
  if (!dup) return Error::from_errno("dup " + path);
  DIR* stream = ::fdopendir(dup.release());
  if (!stream) return Error::from_errno("open directory " + path);
  std::unique_ptr<DIR, int (*)(DIR*)> closer(stream, ::closedir);
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(stream)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  for (const auto& name : names) {
    std::string child = path + "/" + name;
    struct stat st {};
    if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
      if (errno == ENOENT) continue;
      return Error::from_errno("stat " + child);
    }
    if (S_ISDIR(st.st_mode)) {
      if (st.st_dev != dev) return Error::from_errno("remove " + child + ": a mount point", EBUSY);
      if ((st.st_mode & 0700) != 0700) (void)::fchmodat(dir, name.c_str(), 0700, 0);
      Fd sub(::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!sub) return Error::from_errno("open " + child);
      BURROW_TRY(remove_contents(sub.get(), dev, child));
    }
    if (::unlinkat(dir, name.c_str(), S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0 &&
        errno != ENOENT)
      return Error::from_errno("remove " + child);
  }
  return {};
}

}  // namespace

Status remove_tree(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) < 0) {
    if (errno == ENOENT) return {};
    return Error::from_errno("stat " + path);
  }
  if (S_ISDIR(st.st_mode)) {
    if ((st.st_mode & 0700) != 0700) (void)::chmod(path.c_str(), 0700);
    Fd dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir) return Error::from_errno("open " + path);
    BURROW_TRY(remove_contents(dir.get(), st.st_dev, path));
  }
  if (::remove(path.c_str()) < 0 && errno != ENOENT) return Error::from_errno("remove " + path);
  return {};
}

}  // namespace burrow::shim::image
