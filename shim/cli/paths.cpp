#include "cli/paths.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace burrow::shim::cli {

std::string companion(const std::string& name, const std::string& build_subdir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path dir = self.parent_path();
    for (const fs::path& candidate : {dir / name, dir.parent_path() / build_subdir / name}) {
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string default_data_dir(const std::string& what) {
  if (::geteuid() == 0) return "/var/lib/burrow/" + what;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::string(xdg) + "/burrow/" + what;
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "/tmp") + "/.local/share/burrow/" + what;
}

}  // namespace burrow::shim::cli
