#include "state/status.hpp"

#include <string_view>

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <sstream>

#include "base/file.hpp"

namespace burrow::state {
namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Reads `dir`/`name`; nullopt when the cgroup or the file does not exist.
Result<std::optional<std::string>> read_control(const std::string& dir, const std::string& name) {
  auto text = file::read(dir + "/" + name);
  if (!text) {
    if (text.error().code == ENOENT || text.error().code == ENODEV) {
      return std::optional<std::string>{};
    }
    return std::move(text).error();
  }
  return std::optional<std::string>(trim(*text));
}

}  // namespace

const char* status_name(ContainerStatus status) {
  switch (status) {
    case ContainerStatus::creating:
      return "creating";
    case ContainerStatus::created:
      return "created";
    case ContainerStatus::running:
      return "running";
    case ContainerStatus::paused:
      return "paused";
    case ContainerStatus::stopped:
      return "stopped";
  }
  return "unknown";
}

Result<ProcStat> parse_proc_stat(const std::string& text) {
  // "pid (comm) S ppid ..."; comm can contain ") ", so split at the last ')'.
  size_t close = text.rfind(')');
  if (close == std::string::npos || close + 2 >= text.size()) {
    return Error::msg("malformed /proc stat: " + text.substr(0, 64));
  }
  std::istringstream in(text.substr(close + 2));
  ProcStat stat;
  std::string field;
  in >> stat.state;
  // After the state (field 3) come fields 4..21; field 22 is the start time.
  for (int n = 4; n <= 21 && in >> field; ++n) {
  }
  if (!(in >> stat.start_time)) return Error::msg("malformed /proc stat: no start time field");
  return stat;
}

Result<ProcStat> read_proc_stat(pid_t pid) {
  std::string path = "/proc/" + std::to_string(pid) + "/stat";
  std::string text = BURROW_TRY(file::read(path));
  return BURROW_TRY_CTX(parse_proc_stat(text), path);
}

Result<uint64_t> process_start_time(pid_t pid) {
  ProcStat stat = BURROW_TRY(read_proc_stat(pid));
  return stat.start_time;
}

namespace {

// "/sys/fs/cgroup/cpu,cpuacct" -> "cpu,cpuacct"
std::string_view last_component(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool names_freezer(std::string_view mount_point) {
  std::string_view controllers = last_component(mount_point);
  for (size_t start = 0; start <= controllers.size();) {
    size_t comma = controllers.find(',', start);
    if (comma == std::string_view::npos) comma = controllers.size();
    if (controllers.substr(start, comma - start) == "freezer") return true;
    start = comma + 1;
  }
  return false;
}

}  // namespace

// Only the freezer hierarchy (v1) and the cgroup2 dir (the hybrid "unified" mount, or the only
// hierarchy of a v2 host) can say "frozen": every start, state and delete asks, so the other
// hierarchies are not read. A layout that names neither is read in full.
Result<bool> cgroup_frozen(const std::map<std::string, std::string>& cgroup_paths) {
  bool found = false;
  for (const auto& [mount_point, dir] : cgroup_paths) {
    bool v1_freezer = names_freezer(mount_point);
    bool v2 = last_component(mount_point) == "unified" || cgroup_paths.size() == 1;
    if (!v1_freezer && !v2) continue;
    found = true;
    auto state = BURROW_TRY(read_control(dir, v1_freezer ? "freezer.state" : "cgroup.freeze"));
    if (state && *state == (v1_freezer ? "FROZEN" : "1")) return true;
  }
  if (found) return false;
  for (const auto& [mount_point, dir] : cgroup_paths) {
    auto freezer = BURROW_TRY(read_control(dir, "freezer.state"));
    if (freezer && *freezer == "FROZEN") return true;
    auto freeze = BURROW_TRY(read_control(dir, "cgroup.freeze"));
    if (freeze && *freeze == "1") return true;
  }
  return false;
}

ContainerStatus decide_status(bool frozen, pid_t init_pid, uint64_t init_start_time,
                              const std::optional<ProcStat>& init, bool exec_fifo_exists) {
  if (frozen) return ContainerStatus::paused;  // runc asks the freezer first
  if (init_pid <= 0) return ContainerStatus::creating;
  if (!init || init->start_time != init_start_time || init->state == 'Z' || init->state == 'X') {
    return ContainerStatus::stopped;
  }
  if (exec_fifo_exists) return ContainerStatus::created;
  return ContainerStatus::running;
}

Result<ContainerStatus> container_status(const ContainerState& state,
                                         const std::string& exec_fifo) {
  bool frozen = BURROW_TRY(cgroup_frozen(state.cgroup_paths));
  std::optional<ProcStat> init;
  if (state.init_pid > 0) {
    auto stat = read_proc_stat(state.init_pid);
    if (stat) {
      init = *stat;
    } else if (stat.error().code != ENOENT && stat.error().code != ESRCH) {
      return std::move(stat).error();
    }
  }
  struct stat st {};
  bool fifo_exists = ::stat(exec_fifo.c_str(), &st) == 0;
  return decide_status(frozen, state.init_pid, state.init_start_time, init, fifo_exists);
}

}  // namespace burrow::state
