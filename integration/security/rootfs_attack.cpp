#include "security/rootfs_attack.hpp"

#include <sys/mount.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "harness/command.hpp"
#include "harness/leftovers.hpp"

namespace integration {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string describe_entry(const fs::path& path) {
  std::error_code error;
  fs::file_status status = fs::symlink_status(path, error);
  if (fs::is_symlink(status)) return "a symlink to " + fs::read_symlink(path, error).string();
  if (fs::is_directory(status)) return "a directory";
  if (fs::is_regular_file(status)) return "a file holding \"" + read_text(path) + "\"";
  return "a special file";
}

}  // namespace

void RootfsAttack::SetUp() {
  ContainerTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  copy_ = work_ + "/rootfs";
  host_shell("cp -a '" + rootfs_ + "' '" + copy_ + "'");
  host_ = work_ + "/host";
  fs::create_directories(host_);
  put_host_file("canary", "canary\n");
}

void RootfsAttack::TearDown() {
  // Before the leftovers check: this mount is the test's own. A lazy unmount takes along
  // anything a runtime may have stacked on or under it (the test has failed then).
  if (shared_) ::umount2(host_.c_str(), MNT_DETACH);
  ContainerTest::TearDown();
}

void RootfsAttack::host_shell(const std::string& command) {
  ASSERT_EQ(std::system(command.c_str()), 0) << "host command failed: " << command;
}

void RootfsAttack::put_host_file(const std::string& relative, const std::string& content) {
  fs::path path = fs::path(host_) / relative;
  fs::create_directories(path.parent_path());
  for (fs::path dir = fs::path(relative).parent_path(); !dir.empty(); dir = dir.parent_path())
    host_files_[dir.string()] = "/";
  write_text(path.string(), content);
  host_files_[relative] = content;
}

void RootfsAttack::share_host_dir() {
  ASSERT_EQ(::mount(host_.c_str(), host_.c_str(), nullptr, MS_BIND, nullptr), 0);
  shared_ = true;
  ASSERT_EQ(::mount(nullptr, host_.c_str(), nullptr, MS_SHARED, nullptr), 0);
}

std::string RootfsAttack::host_damage() const {
  std::ostringstream damage;
  std::map<std::string, bool> seen;
  std::error_code error;
  for (fs::recursive_directory_iterator it(host_, error), end; !error && it != end;
       it.increment(error)) {
    std::string relative = it->path().lexically_relative(host_).string();
    auto expected = host_files_.find(relative);
    if (expected == host_files_.end()) {
      damage << host_ << "/" << relative << " appeared: " << describe_entry(it->path()) << "\n";
      continue;
    }
    seen[relative] = true;
    bool want_dir = expected->second == "/";
    fs::file_status status = fs::symlink_status(it->path(), error);
    bool ok = want_dir ? fs::is_directory(status)
                       : fs::is_regular_file(status) && read_text(it->path()) == expected->second;
    if (!ok)
      damage << host_ << "/" << relative << " changed: now " << describe_entry(it->path()) << "\n";
  }
  for (const auto& [relative, content] : host_files_)
    if (!seen.count(relative)) damage << host_ << "/" << relative << " is gone\n";
  std::vector<std::string> mounts = mounts_under({host_});
  bool own_mount_skipped = !shared_;
  for (const auto& mount : mounts) {
    if (mount == host_ && !own_mount_skipped) {
      own_mount_skipped = true;
      continue;
    }
    damage << "something is mounted on " << mount << "\n";
  }
  return damage.str();
}

json RootfsAttack::bind(const std::string& source, const std::string& destination,
                        const std::vector<std::string>& options) {
  return {{"destination", destination}, {"type", "bind"}, {"source", source}, {"options", options}};
}

std::vector<json> json_lines(const std::string& out) {
  std::vector<json> found;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    json parsed = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object()) found.push_back(std::move(parsed));
  }
  return found;
}

}  // namespace integration
