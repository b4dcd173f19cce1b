#include "rootless/rootless_fixture.hpp"

#include <pwd.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/config.hpp"
#include "harness/environment.hpp"
#include "harness/leftovers.hpp"

namespace integration {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<SubordinateRange> subordinate_range(const std::string& file, const std::string& user,
                                                  uid_t id) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string name, start, count;
    if (!std::getline(fields, name, ':') || !std::getline(fields, start, ':') ||
        !std::getline(fields, count))
      continue;
    if (name != user && name != std::to_string(id)) continue;
    return SubordinateRange{static_cast<uint32_t>(std::stoul(start)),
                            static_cast<uint32_t>(std::stoul(count))};
  }
  return std::nullopt;
}

json rootless_config(const std::string& rootfs, const std::string& marker) {
  json config = base_config(rootfs, marker);
  json namespaces = json::array();
  for (const auto& ns : config["linux"]["namespaces"]) {
    if (ns["type"] != "network" && ns["type"] != "user") namespaces.push_back(ns);
  }
  namespaces.push_back({{"type", "user"}});
  config["linux"]["namespaces"] = namespaces;
  config["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", getuid()}, {"size", 1}}};
  config["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", getgid()}, {"size", 1}}};
  config["linux"].erase("resources");
  for (auto& mount : config["mounts"]) {
    if (mount["destination"] == "/sys") {
      mount = {{"destination", "/sys"},
               {"type", "none"},
               {"source", "/sys"},
               {"options", {"rbind", "nosuid", "noexec", "nodev", "ro"}}};
      continue;
    }
    if (!mount.contains("options")) continue;
    json options = json::array();
    for (const auto& option : mount["options"]) {
      std::string text = option.get<std::string>();
      if (!text.starts_with("uid=") && !text.starts_with("gid=")) options.push_back(option);
    }
    mount["options"] = options;
  }
  return config;
}

json sleeping(json config) {
  config["process"]["args"] = {"/probe", "sleep", "100"};
  return config;
}

long host_uid_of(int pid, const char* field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
  }
  return -1;
}

std::string status_of(const CommandResult& state) {
  json parsed = json::parse(state.out, nullptr, false);
  return parsed.is_object() ? parsed.value("status", "") : "";
}

namespace {

std::string next_id() {
  static std::atomic<int> counter{0};
  return "rl-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
}

bool on_path(const std::string& tool) {
  for (const char* dir : {"/usr/bin", "/bin", "/usr/sbin", "/sbin"}) {
    if (access((std::string(dir) + "/" + tool).c_str(), X_OK) == 0) return true;
  }
  return false;
}

}  // namespace

void RootlessTest::SetUp() {
  if (const char* why = std::getenv("BURROW_ROOTLESS_SKIP"); why != nullptr && *why != '\0')
    GTEST_SKIP() << why;
  if (running_as_root())
    GTEST_SKIP() << "the rootless tier runs as an unprivileged user: `ctest -L rootless` runs it "
                    "as burrow-test (scripts/setup-test-user makes it)";
  std::string why_not;
  rootfs_ = shared_rootfs(&why_not);
  ASSERT_FALSE(rootfs_.empty()) << why_not;
  ASSERT_TRUE(fs::exists(runtime_path())) << "runtime under test not found: " << runtime_path();
  id_ = next_id();
  work_ = make_temp_dir("burrow-rl.");
  bundle_ = work_ + "/bundle";
  state_root_ = work_ + "/state";
  fs::create_directories(bundle_);
}

void RootlessTest::TearDown() {
  if (work_.empty()) return;
  runtime({"delete", "-f", id_});
  EXPECT_EQ(describe_leftovers(state_root_, id_, {work_, rootfs_}), "")
      << "left behind by container " << id_;
  for (const auto& id : default_root_ids_) runtime_at("", {"delete", "-f", id});
  std::error_code error;
  fs::remove_all(work_, error);
}

std::vector<std::string> RootlessTest::runtime_command(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = command_prefix_;
  argv.insert(argv.end(), {runtime_path(), "--root", state_root_});
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

CommandResult RootlessTest::runtime_at(const std::string& root,
                                       const std::vector<std::string>& args) {
  std::vector<std::string> argv = command_prefix_;
  argv.push_back(runtime_path());
  if (!root.empty()) argv.insert(argv.end(), {"--root", root});
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, work_);
}

int RootlessTest::init_pid() {
  json state = json::parse(runtime({"state", id_}).out, nullptr, false);
  return state.is_object() && state.contains("pid") ? state["pid"].get<int>() : -1;
}

CommandResult RootlessTest::runtime(const std::vector<std::string>& args) {
  return runtime_at(state_root_, args);
}

void RootlessTest::write_config(const json& config) {
  write_text(bundle_ + "/config.json", config.dump(2));
}

bool RootlessTest::have_subordinate_ranges(std::string* why_not) {
  if (!on_path("newuidmap") || !on_path("newgidmap")) {
    *why_not = "needs newuidmap and newgidmap (Debian package uidmap; scripts/setup installs it)";
    return false;
  }
  struct passwd* pw = getpwuid(getuid());
  std::string user = pw != nullptr ? pw->pw_name : "";
  auto uids = subordinate_range("/etc/subuid", user, getuid());
  auto gids = subordinate_range("/etc/subgid", user, getgid());
  if (!uids || !gids || uids->count < 2 || gids->count < 2) {
    *why_not = "user " + user + " has no ranges in /etc/subuid and /etc/subgid " +
               "(scripts/setup-test-user adds them)";
    return false;
  }
  uid_range_ = *uids;
  gid_range_ = *gids;
  return true;
}

}  // namespace integration
