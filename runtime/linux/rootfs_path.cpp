#include "linux/rootfs_path.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "base/syscalls.hpp"

namespace burrow::linux {
namespace {

constexpr int kMaxSymlinkHops = 40;  // the kernel's own limit on nested symlinks

std::vector<std::string> components(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    start = end + 1;
  }
  return parts;
}

std::string join_from(const std::vector<std::string>& parts, size_t first) {
  std::string out;
  for (size_t i = first; i < parts.size(); ++i) out += "/" + parts[i];
  return out;
}

Result<std::string> read_link_at(int dirfd, const std::string& name) {
  std::string target(4096, '\0');
  ssize_t n = ::readlinkat(dirfd, name.c_str(), target.data(), target.size());
  if (n < 0) return Error::from_errno("readlink " + name);
  target.resize(static_cast<size_t>(n));
  return target;
}

// Creates `name` in `dirfd` (a directory, or an empty file); an existing entry is fine.
Status create_entry(int dirfd, const std::string& name, bool directory, const std::string& path) {
  if (directory) {
    if (::mkdirat(dirfd, name.c_str(), 0755) < 0 && errno != EEXIST)
      return Error::from_errno("mkdir " + path);
    return {};
  }
  int fd =
      ::openat(dirfd, name.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0 && errno != EEXIST) return Error::from_errno("create " + path);
  if (fd >= 0) ::close(fd);
  return {};
}

// One pass over the components of `path`. Returns the fd when the whole path exists or was
// created; sets `rewritten` (and returns an invalid Fd) when a dangling symlink must be followed.
Result<Fd> walk_and_create(int root_fd, const std::string& path, Leaf leaf,
                           std::string& rewritten) {
  std::vector<std::string> parts = components(path);
  Fd parent = BURROW_TRY(sys::open_in_root(root_fd, "/", O_PATH | O_DIRECTORY));
  std::string prefix;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string next = prefix + "/" + parts[i];
    auto found = sys::open_in_root(root_fd, next, O_PATH);
    if (!found && found.error().code != ENOENT) return std::move(found).error();
    if (!found) {
      struct stat st {};
      if (::fstatat(parent.get(), parts[i].c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
          S_ISLNK(st.st_mode)) {
        std::string target = BURROW_TRY(read_link_at(parent.get(), parts[i]));
        std::string base = target.starts_with("/") ? "" : prefix + "/";
        rewritten = base + target + join_from(parts, i + 1);
        return Fd();
      }
      bool directory = i + 1 < parts.size() || leaf == Leaf::directory;
      BURROW_TRY(create_entry(parent.get(), parts[i], directory, next));
      found = sys::open_in_root(root_fd, next, O_PATH);
      if (!found) return std::move(found).error();
    }
    parent = std::move(found.value());
    prefix = next;
  }
  return parent;
}

}  // namespace

std::string clean_container_path(std::string_view path) {
  std::vector<std::string> kept;
  for (auto& part : components(path)) {
    if (part == "..") {
      if (!kept.empty()) kept.pop_back();
    } else {
      kept.push_back(std::move(part));
    }
  }
  std::string out = join_from(kept, 0);
  return out.empty() ? "/" : out;
}

std::pair<std::string, std::string> split_parent(const std::string& clean_path) {
  size_t slash = clean_path.rfind('/');
  if (slash == std::string::npos) return {"/", clean_path};
  std::string parent = slash == 0 ? "/" : clean_path.substr(0, slash);
  return {parent, clean_path.substr(slash + 1)};
}

Result<Fd> ensure_in_root(int root_fd, const std::string& path, Leaf leaf) {
  std::string current = path;
  for (int hop = 0; hop < kMaxSymlinkHops; ++hop) {
    auto existing = sys::open_in_root(root_fd, current, O_PATH);
    if (existing) return std::move(existing.value());
    if (existing.error().code != ENOENT) return std::move(existing).error();
    std::string rewritten;
    Fd fd = BURROW_TRY(walk_and_create(root_fd, current, leaf, rewritten));
    if (fd) return fd;
    current = rewritten;
  }
  return Error::from_errno("resolve " + path, ELOOP);
}

Result<Fd> ensure_parent_without_symlinks(int root_fd, const std::string& path) {
  constexpr uint64_t kNoSymlinks = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  std::vector<std::string> parts = components(split_parent(clean_container_path(path)).first);
  Fd dir = BURROW_TRY(sys::open_resolved(root_fd, ".", O_PATH | O_DIRECTORY, kNoSymlinks));
  std::string prefix;
  for (const auto& part : parts) {
    prefix += "/" + part;
    if (::mkdirat(dir.get(), part.c_str(), 0755) < 0 && errno != EEXIST)
      return Error::from_errno("mkdir " + prefix);
    auto next = sys::open_resolved(dir.get(), part, O_PATH | O_DIRECTORY, kNoSymlinks);
    if (!next && next.error().code == ELOOP)
      return Error::msg(prefix + " is a symlink in the rootfs; refusing", ELOOP);
    if (!next) return Error::from_errno("open " + prefix, next.error().code);
    dir = std::move(next.value());
  }
  return dir;
}

Result<std::string> path_inside_root(int root_fd, int fd) {
  std::string root = BURROW_TRY(read_link_at(AT_FDCWD, sys::fd_path(root_fd)));
  std::string path = BURROW_TRY(read_link_at(AT_FDCWD, sys::fd_path(fd)));
  if (path == root) return std::string("/");
  if (root == "/") return path;
  if (!path.starts_with(root + "/")) return Error::msg(path + " is outside the rootfs", EXDEV);
  return path.substr(root.size());
}

Result<Fd> ensure_parent_in_root(int root_fd, const std::string& path) {
  auto [parent, name] = split_parent(clean_container_path(path));
  Fd fd = BURROW_TRY(ensure_in_root(root_fd, parent, Leaf::directory));
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) return Error::from_errno("stat " + parent);
  if (!S_ISDIR(st.st_mode)) return Error::from_errno("open " + parent, ENOTDIR);
  return fd;
}

}  // namespace burrow::linux
