#include "pod/job_dir.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/file.hpp"

namespace burrow::shim::pod {
namespace {

// Field 22 of /proc/<pid>/stat; the comm field (2) may hold spaces and parentheses, so parse
// after its last ')'.
std::optional<unsigned long long> start_time_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 1));
  std::string field;
  // After ')': state is field 3, so start time (22) is the 20th word.
  for (int i = 3; i <= 22; ++i) {
    if (!(fields >> field)) return std::nullopt;
  }
  return std::stoull(field);
}

}  // namespace

Result<Owner> current_owner() {
  auto start = start_time_of(::getpid());
  if (!start) return Error::msg("cannot read this process's start time from /proc/self/stat");
  return Owner{::getpid(), *start};
}

bool owner_alive(const Owner& owner) {
  if (owner.pid <= 0) return false;
  auto start = start_time_of(owner.pid);
  return start && *start == owner.start_time;
}

Result<JobDir> JobDir::create(const std::string& root, const std::string& key) {
  BURROW_TRY_CTX(file::mkdir_all(root, 0711), "scratch dir " + root);
  std::string path = root + "/" + key;
  if (::mkdir(path.c_str(), 0711) < 0) return Error::from_errno("job dir " + path);
  JobDir dir(path, key);
  for (const std::string& sub : {dir.state_dir(), dir.logs_dir()}) {
    if (::mkdir(sub.c_str(), 0700) < 0) return Error::from_errno("mkdir " + sub);
  }
  Owner owner = BURROW_TRY(current_owner());
  nlohmann::json record = {{"pid", owner.pid}, {"start_time", owner.start_time}};
  BURROW_TRY(file::write_atomic(path + "/owner.json", record.dump() + "\n", 0600));
  return dir;
}

Result<Owner> read_owner(const std::string& job_dir) {
  auto text = BURROW_TRY(file::read(job_dir + "/owner.json"));
  auto record = nlohmann::json::parse(text, nullptr, false);
  if (!record.is_object() || !record.contains("pid") || !record.contains("start_time"))
    return Error::msg(job_dir + "/owner.json: not an owner record");
  return Owner{record["pid"].get<pid_t>(), record["start_time"].get<unsigned long long>()};
}

Result<std::vector<std::string>> abandoned_job_dirs(const std::string& root) {
  namespace fs = std::filesystem;
  std::vector<std::string> found;
  std::error_code ec;
  if (!fs::exists(root, ec)) return found;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (!entry.is_directory() || entry.is_symlink()) continue;
    std::string dir = entry.path().string();
    auto owner = read_owner(dir);
    if (owner) {
      if (!owner_alive(*owner)) found.push_back(dir);
      continue;
    }
    struct stat st {};
    if (::lstat(dir.c_str(), &st) == 0 && ::time(nullptr) - st.st_mtime > 60) found.push_back(dir);
  }
  if (ec) return Error::msg("list " + root + ": " + ec.message(), ec.value());
  return found;
}

}  // namespace burrow::shim::pod
