#include "state/store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "base/file.hpp"
#include "state/id.hpp"

namespace burrow::state {
namespace {

Status flock_exclusive(int fd, const std::string& dir) {
  while (::flock(fd, LOCK_EX) < 0) {
    if (errno != EINTR) return Error::from_errno("lock " + dir);
  }
  return {};
}

Result<Fd> open_dir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return Error::from_errno("open " + dir);
  return fd;
}

bool same_inode(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

}  // namespace

Result<ContainerLock> StateStore::create_container_dir(const std::string& id) const {
  BURROW_TRY(validate_id(id));
  BURROW_TRY(file::mkdir_all(root_, 0700));
  std::string dir = container_dir(id);
  if (::mkdir(dir.c_str(), 0700) < 0) {
    if (errno == EEXIST) return Error::msg(kExistsText, EEXIST);
    return Error::from_errno("mkdir " + dir);
  }
  auto fd = open_dir(dir);
  if (!fd) return std::move(fd).error();
  BURROW_TRY(flock_exclusive(fd->get(), dir));
  return ContainerLock(id, dir, std::move(fd).value());
}

Result<ContainerLock> StateStore::lock(const std::string& id) const {
  BURROW_TRY(validate_id(id));
  // A delete and a create may both happen while we wait: then the dir we locked is not the one
  // at the path any more, and we try the new one (a few times; then it is a live race).
  for (int attempt = 0; attempt < 5; ++attempt) {
    bool replaced = false;
    auto locked = lock_once(id, replaced);
    if (!replaced) return locked;
  }
  return Error::msg("lock " + container_dir(id) + ": directory keeps being replaced", EAGAIN);
}

Result<std::optional<ContainerLock>> StateStore::try_lock(const std::string& id) const {
  BURROW_TRY(validate_id(id));
  std::string dir = container_dir(id);
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return Error::msg(kNotExistText, ENOENT);
    return Error::from_errno("open " + dir);
  }
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) < 0) {
    if (errno == EWOULDBLOCK) return std::optional<ContainerLock>();
    return Error::from_errno("lock " + dir);
  }
  // Removed (and maybe made anew) since we opened it: not ours to judge now.
  struct stat held {
  }, now{};
  if (::fstat(fd.get(), &held) < 0 || ::stat(dir.c_str(), &now) < 0 || held.st_ino != now.st_ino)
    return std::optional<ContainerLock>();
  return std::optional<ContainerLock>(ContainerLock(id, dir, std::move(fd)));
}

Result<ContainerLock> StateStore::lock_once(const std::string& id, bool& replaced) const {
  std::string dir = container_dir(id);
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return Error::msg(kNotExistText, ENOENT);
    return Error::from_errno("open " + dir);
  }
  BURROW_TRY(flock_exclusive(fd.get(), dir));
  struct stat held {
  }, now{};
  if (::fstat(fd.get(), &held) < 0) return Error::from_errno("stat " + dir);
  if (::stat(dir.c_str(), &now) < 0) {
    if (errno == ENOENT) return Error::msg(kNotExistText, ENOENT);
    return Error::from_errno("stat " + dir);
  }
  if (held.st_nlink == 0 || !same_inode(held, now)) {
    replaced = true;
    return Error::msg(kNotExistText, ENOENT);
  }
  return ContainerLock(id, dir, std::move(fd));
}

Result<ContainerState> StateStore::load(const ContainerLock& lock) const {
  auto text = file::read_at(lock.dir_fd(), "state.json");
  if (!text) {
    if (text.error().code == ENOENT) return Error::msg(kNotExistText, ENOENT);
    return std::move(text).error();
  }
  std::string path = state_path(lock.id());
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::exception& e) {
    return Error::msg(path + ": " + e.what());
  }
  return from_json(json, path);
}

Status StateStore::save(const ContainerLock& lock, const ContainerState& state) const {
  // Invalid UTF-8 in a string (annotations come from the bundle) is replaced, not thrown.
  std::string text = to_json(state).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return file::write_atomic(state_path(lock.id()), text, 0600);
}

Status StateStore::write_config(const ContainerLock& lock, const std::string& bundle_config) const {
  std::string data = BURROW_TRY(file::read(bundle_config));
  return file::write_atomic(config_path(lock.id()), data, 0600);
}

Status StateStore::create_exec_fifo(const ContainerLock& lock) const {
  if (::mkfifoat(lock.dir_fd(), "exec.fifo", 0622) < 0) {
    return Error::from_errno("mkfifo " + exec_fifo_path(lock.id()));
  }
  // mkfifo applies the umask; fchmodat does not.
  if (::fchmodat(lock.dir_fd(), "exec.fifo", 0622, 0) < 0) {
    return Error::from_errno("chmod " + exec_fifo_path(lock.id()));
  }
  return {};
}

Status StateStore::remove_exec_fifo(const ContainerLock& lock) const {
  if (::unlinkat(lock.dir_fd(), "exec.fifo", 0) < 0 && errno != ENOENT) {
    return Error::from_errno("remove " + exec_fifo_path(lock.id()));
  }
  return {};
}

Status StateStore::destroy(ContainerLock&& lock) const {
  ContainerLock held = std::move(lock);  // released when this returns, after the removal
  return file::remove_all(held.dir());
}

Result<std::vector<std::string>> StateStore::list_ids() const {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(root_.c_str()), ::closedir);
  if (!dir) {
    if (errno == ENOENT) return std::vector<std::string>{};
    return Error::from_errno("open " + root_);
  }
  std::vector<std::string> ids;
  for (;;) {
    errno = 0;
    struct dirent* entry = ::readdir(dir.get());
    if (entry == nullptr) break;
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (::fstatat(::dirfd(dir.get()), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) continue;
    if (S_ISDIR(st.st_mode)) ids.push_back(std::move(name));
  }
  if (errno != 0) return Error::from_errno("read " + root_);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace burrow::state
