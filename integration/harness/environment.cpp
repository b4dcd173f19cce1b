#include "harness/environment.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "harness/command.hpp"

namespace integration {

namespace fs = std::filesystem;

const std::string& runtime_path() {
  static const std::string path = [] {
    const char* chosen = std::getenv("BURROW_TEST_RUNTIME");
    return std::string(chosen != nullptr && *chosen != '\0' ? chosen : BURROW_BINARY);
  }();
  return path;
}

bool runtime_is_burrow() {
  return fs::path(runtime_path()).filename() == "burrow";
}

const std::string& probe_path() {
  static const std::string path = PROBE_BINARY;
  return path;
}

bool running_as_root() {
  return geteuid() == 0;
}

namespace {

fs::file_time_type mtime_or_min(const fs::path& path) {
  std::error_code error;
  auto time = fs::last_write_time(path, error);
  return error ? fs::file_time_type::min() : time;
}

// Several test processes may start at once (ctest -j): the first builds, the others wait on the
// lock and then see a fresh stamp. A probe newer than the stamp means a rebuild.
std::string build_rootfs(std::string* why_not) {
  // BURROW_TEST_ROOTFS: the rootless tier builds its own (the build dir is root's).
  const char* chosen = std::getenv("BURROW_TEST_ROOTFS");
  const fs::path rootfs = chosen != nullptr && *chosen != '\0' ? chosen : INTEGRATION_ROOTFS;
  const fs::path stamp = rootfs.string() + ".stamp";
  int lock = open((rootfs.string() + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock < 0 || flock(lock, LOCK_EX) != 0) {
    *why_not = "cannot lock " + rootfs.string() + ".lock";
    if (lock >= 0) close(lock);
    return {};
  }
  std::string result = rootfs.string();
  if (!fs::exists(stamp) || mtime_or_min(stamp) < mtime_or_min(PROBE_BINARY)) {
    std::string scratch = make_temp_dir("burrow-rootfs-log.");
    auto made = run_command({"env", std::string("PROBE=") + PROBE_BINARY,
                             std::string(BURROW_SOURCE_DIR) + "/scripts/make-rootfs", result},
                            scratch, std::chrono::seconds(120));
    if (made.exit_code == 0) {
      write_text(stamp, "built\n");
    } else {
      *why_not = "scripts/make-rootfs failed: " + made.describe();
      result.clear();
    }
    fs::remove_all(scratch);
  }
  close(lock);
  return result;
}

}  // namespace

const std::string& shared_rootfs(std::string* why_not) {
  static std::string reason;
  static const std::string rootfs = build_rootfs(&reason);
  if (why_not != nullptr) *why_not = reason;
  return rootfs;
}

std::optional<uint64_t> inode_of(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return std::nullopt;
  return static_cast<uint64_t>(info.st_ino);
}

std::optional<uint64_t> host_namespace_inode(const std::string& name) {
  return inode_of("/proc/self/ns/" + name);
}

}  // namespace integration
