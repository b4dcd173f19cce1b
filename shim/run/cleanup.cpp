#include "run/cleanup.hpp"

#include <sys/mount.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "base/file.hpp"
#include "pod/job_dir.hpp"
#include "pod/pod_cgroup.hpp"
#include "runtime_client/runtime_client.hpp"

namespace burrow::shim::run {
namespace {

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape(const std::string& field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size()) {
      out += static_cast<char>(std::stoi(field.substr(i + 1, 3), nullptr, 8));
      i += 3;
    } else {
      out += field[i];
    }
  }
  return out;
}

}  // namespace

Status unmount_under(const std::string& dir) {
  std::ifstream mountinfo("/proc/self/mountinfo");
  if (!mountinfo) return Error::from_errno("open /proc/self/mountinfo");
  std::vector<std::string> points;
  for (std::string line; std::getline(mountinfo, line);) {
    std::istringstream fields(line);
    std::string id, parent, device, root, point;
    fields >> id >> parent >> device >> root >> point;
    point = unescape(point);
    if (point == dir || point.rfind(dir + "/", 0) == 0) points.push_back(point);
  }
  // Deepest first, so no mount is hidden under another when its turn comes.
  std::sort(points.begin(), points.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& point : points) {
    if (::umount2(point.c_str(), MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
      return Error::from_errno("unmount " + point);
  }
  return {};
}

Status remove_job_dir(const std::string& dir, const std::string& runtime_binary) {
  Status first;
  runtime::RuntimeClient runtime(runtime_binary, dir + "/state", dir + "/logs");
  if (auto ids = runtime.list(); ids) {
    for (const auto& id : *ids) {
      if (auto removed = runtime.remove(id); !removed && first.ok()) first = removed;
    }
  }
  BURROW_TRY(first);
  // The pod's own cgroup, once its members' are gone with them.
  if (auto recorded = file::read(dir + "/" + pod::kPodCgroupFile); recorded) {
    std::string path = *recorded;
    while (!path.empty() && path.back() == '\n') path.pop_back();
    if (!path.empty() && path.front() == '/') BURROW_TRY(pod::remove_pod_cgroup(path));
  }
  BURROW_TRY(unmount_under(dir));
  return file::remove_all(dir);
}

CleanupReport cleanup_abandoned(const std::string& scratch_root,
                                const std::string& runtime_binary) {
  CleanupReport report;
  auto dirs = pod::abandoned_job_dirs(scratch_root);
  if (!dirs) {
    report.errors.push_back(dirs.error().message);
    return report;
  }
  for (const auto& dir : *dirs) {
    if (auto removed = remove_job_dir(dir, runtime_binary); removed)
      report.removed.push_back(dir);
    else
      report.errors.push_back(dir + ": " + removed.error().message);
  }
  return report;
}

}  // namespace burrow::shim::run
