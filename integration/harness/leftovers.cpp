#include "harness/leftovers.hpp"

#include <sys/mount.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "harness/command.hpp"

namespace integration {

namespace fs = std::filesystem;

namespace {

std::string unescape_mountinfo(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size()) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 3), nullptr, 8)));
      i += 3;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool is_at_or_under(const std::string& path, const std::string& dir) {
  return path == dir || path.rfind(dir + "/", 0) == 0;
}

}  // namespace

std::string leftover_state(const std::string& state_root, const std::string& id) {
  fs::path dir = fs::path(state_root) / id;
  std::error_code error;
  return fs::exists(dir, error) ? dir.string() : std::string();
}

std::vector<std::string> mounts_under(const std::vector<std::string>& dirs) {
  std::vector<std::string> found;
  std::istringstream lines(read_text("/proc/self/mountinfo"));
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string id, parent, device, root, mount_point;
    words >> id >> parent >> device >> root >> mount_point;
    mount_point = unescape_mountinfo(mount_point);
    for (const auto& dir : dirs) {
      if (!dir.empty() && is_at_or_under(mount_point, dir)) found.push_back(mount_point);
    }
  }
  return found;
}

std::vector<int> processes_with_marker(const std::string& marker) {
  const std::string wanted = "BURROW_TEST_ID=" + marker;
  std::vector<int> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string environ = read_text(entry.path() / "environ");
    std::istringstream vars(environ);
    for (std::string var; std::getline(vars, var, '\0');) {
      if (var == wanted) found.push_back(std::stoi(name));
    }
  }
  return found;
}

std::vector<std::string> cgroups_named(const std::string& id) {
  std::vector<std::string> found;
  std::error_code error;
  auto options = fs::directory_options::skip_permission_denied;
  for (fs::recursive_directory_iterator it("/sys/fs/cgroup", options, error), end;
       !error && it != end; it.increment(error)) {
    if (!it->is_directory(error) || it->is_symlink(error)) {
      continue;
    }
    if (it.depth() >= 3) it.disable_recursion_pending();
    if (it->path().filename() == id) found.push_back(it->path().string());
  }
  return found;
}

std::string describe_leftovers(const std::string& state_root, const std::string& id,
                               const std::vector<std::string>& dirs) {
  std::ostringstream report;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::vector<int> processes;
  std::vector<std::string> cgroups;
  // Killed processes need a moment to die and their cgroups to be removable.
  do {
    processes = processes_with_marker(id);
    cgroups = cgroups_named(id);
    if (processes.empty() && cgroups.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (std::chrono::steady_clock::now() < deadline);
  for (int pid : processes) report << "process " << pid << " still runs\n";
  for (const auto& cgroup : cgroups) report << "cgroup " << cgroup << " still exists\n";
  std::string state = leftover_state(state_root, id);
  if (!state.empty()) report << "state directory " << state << " still exists\n";
  for (const auto& mount : mounts_under(dirs)) report << "mount " << mount << " still exists\n";
  return report.str();
}

void detach_mounts_under(const std::vector<std::string>& dirs) {
  auto mounts = mounts_under(dirs);
  std::sort(mounts.begin(), mounts.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& mount : mounts) umount2(mount.c_str(), MNT_DETACH);
}

}  // namespace integration
