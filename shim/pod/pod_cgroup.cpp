#include "pod/pod_cgroup.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "base/file.hpp"

namespace burrow::shim::pod {
namespace {

namespace fs = std::filesystem;

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// `path`'s dirs from the root down, e.g. /a/b -> {"/a", "/a/b"}.
std::vector<std::string> prefixes(const std::string& path) {
  std::vector<std::string> out;
  for (size_t at = path.find('/', 1); at != std::string::npos; at = path.find('/', at + 1))
    out.push_back(path.substr(0, at));
  out.push_back(path);
  return out;
}

Status make_dirs(const std::string& root, const std::string& path) {
  for (const auto& dir : prefixes(path)) {
    if (::mkdir((root + dir).c_str(), 0755) < 0 && errno != EEXIST)
      return Error::from_errno("mkdir " + root + dir);
  }
  return {};
}

}  // namespace

Status make_pod_cgroup(const std::string& path, std::optional<int64_t> memory_limit,
                       const std::string& cgroup_root) {
  const std::string v1 = cgroup_root + "/memory";
  if (exists(v1 + "/memory.limit_in_bytes")) {
    BURROW_TRY(make_dirs(v1, path));
    if (!memory_limit) return {};
    std::string limit = std::to_string(*memory_limit);
    BURROW_TRY(file::write(v1 + path + "/memory.limit_in_bytes", limit));
    if (exists(v1 + path + "/memory.memsw.limit_in_bytes"))
      BURROW_TRY(file::write(v1 + path + "/memory.memsw.limit_in_bytes", limit));
    return {};
  }
  if (!exists(cgroup_root + "/cgroup.controllers"))
    return Error::msg("no memory cgroup under " + cgroup_root + " (neither v1 nor v2)", ENOENT);
  // v2: memory enabled on the way down, so the pod's dir and its members have the controller.
  std::string dir = cgroup_root;
  for (const auto& prefix : prefixes(path)) {
    BURROW_TRY(file::write(dir + "/cgroup.subtree_control", "+memory"));
    dir = cgroup_root + prefix;
    if (::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST) return Error::from_errno("mkdir " + dir);
  }
  BURROW_TRY(file::write(dir + "/cgroup.subtree_control", "+memory"));
  if (!memory_limit) return {};
  BURROW_TRY(file::write(dir + "/memory.max", std::to_string(*memory_limit)));
  if (exists(dir + "/memory.swap.max")) BURROW_TRY(file::write(dir + "/memory.swap.max", "0"));
  return {};
}

Status remove_pod_cgroup(const std::string& path, const std::string& cgroup_root) {
  std::vector<std::string> dirs;
  if (exists(cgroup_root + path)) dirs.push_back(cgroup_root + path);  // v2, or a named v1 mount
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(cgroup_root, ec)) {
    std::string dir = entry.path().string() + path;
    if (entry.is_directory(ec) && !entry.is_symlink(ec) && exists(dir)) dirs.push_back(dir);
  }
  Status first;
  for (const auto& dir : dirs) {
    // The members' dirs are the runtime's and gone with them; a member's exit may take the
    // kernel a moment to see.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (::rmdir(dir.c_str()) < 0 && errno != ENOENT) {
      if (errno != EBUSY || std::chrono::steady_clock::now() >= deadline) {
        if (first.ok()) first = Error::from_errno("rmdir " + dir);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return first;
}

}  // namespace burrow::shim::pod
