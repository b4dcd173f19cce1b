#include "image/safe_path.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>

#include <vector>

#include "base/syscalls.hpp"

namespace burrow::shim::image {
namespace {

std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

}  // namespace

Result<std::string> clean_entry_path(std::string_view raw) {
  auto refuse = [&](const char* why) {
    return Error::msg("entry '" + std::string(raw) + "': " + why);
  };
  if (raw.find('\0') != std::string_view::npos) return refuse("name holds a NUL byte");
  if (!raw.empty() && raw.front() == '/') return refuse("absolute path");
  if (raw.size() > 4095) return refuse("name longer than PATH_MAX");
  std::string out;
  for (std::string_view c : components(raw)) {
    if (c == ".") continue;
    if (c == "..") return refuse("path has a '..' component");
    if (c.size() > 255) return refuse("a component is longer than NAME_MAX");
    if (!out.empty()) out += '/';
    out += c;
  }
  return out;
}

std::pair<std::string, std::string> split_parent(const std::string& clean) {
  auto slash = clean.rfind('/');
  if (slash == std::string::npos) return {"", clean};
  return {clean.substr(0, slash), clean.substr(slash + 1)};
}

Result<Fd> open_child_dir(int dir, const std::string& name, const std::string& what) {
  auto fd = sys::open_resolved(
      dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW,
      RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);
  if (fd) return fd;
  int err = fd.error().code;
  struct stat st {};
  if ((err == ELOOP || err == ENOTDIR) &&
      ::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
    return Error::msg("path goes through symlink '" + what + "'", ELOOP);
  if (err == EXDEV) return Error::msg("path leaves the directory at '" + what + "'", EXDEV);
  return Error::from_errno("open '" + what + "'", err);
}

Result<Fd> open_dir_beneath(int root, const std::string& rel, bool create, mode_t mode,
                            const std::function<void(const std::string&)>& on_create) {
  Fd cur(::fcntl(root, F_DUPFD_CLOEXEC, 0));
  if (!cur) return Error::from_errno("dup");
  std::string done;
  for (std::string_view c : components(rel)) {
    std::string name(c);
    done += (done.empty() ? "" : "/") + name;
    if (create && ::mkdirat(cur.get(), name.c_str(), mode) == 0) {
      if (on_create) on_create(done);
    } else if (create && errno != EEXIST) {
      return Error::from_errno("mkdir " + done);
    }
    cur = BURROW_TRY(open_child_dir(cur.get(), name, done));
  }
  return cur;
}

bool symlink_stays_beneath(const std::string& link, std::string_view target) {
  if (target.empty() || target.front() == '/') return false;
  // Resolution starts in the link's directory.
  long depth = static_cast<long>(components(split_parent(link).first).size());
  for (std::string_view c : components(target)) {
    if (c == ".") continue;
    depth += c == ".." ? -1 : 1;
    if (depth < 0) return false;
  }
  return true;
}

}  // namespace burrow::shim::image
