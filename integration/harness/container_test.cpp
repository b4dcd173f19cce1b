#include "harness/container_test.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <sstream>

#include "expected_messages.hpp"
#include "harness/leftovers.hpp"

namespace integration {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool busybox_available() {
  return fs::exists("/bin/busybox") || fs::exists("/usr/bin/busybox");
}

std::string next_id() {
  static std::atomic<int> counter{0};
  return "it-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
}

}  // namespace

json last_json_line(const std::string& out) {
  std::istringstream lines(out);
  std::string last;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) last = line;
  }
  return json::parse(last, nullptr, /*allow_exceptions=*/false);
}

void ContainerTest::SetUp() {
  if (!running_as_root()) {
    GTEST_SKIP() << "needs root: runs real containers (namespaces, mounts, cgroups)";
  }
  if (!busybox_available()) {
    GTEST_SKIP() << "needs busybox-static for the test rootfs (scripts/setup installs it)";
  }
  std::string why_not;
  rootfs_ = shared_rootfs(&why_not);
  ASSERT_FALSE(rootfs_.empty()) << why_not;
  ASSERT_TRUE(fs::exists(runtime_path())) << "runtime under test not found: " << runtime_path();
  id_ = next_id();
  ids_.push_back(id_);
  work_ = make_temp_dir("burrow-it.");
  bundle_ = work_ + "/bundle";
  state_root_ = work_ + "/state";
  fs::create_directories(bundle_);
}

void ContainerTest::TearDown() {
  if (work_.empty()) return;  // skipped before anything was made
  for (const auto& id : ids_) {
    runtime({"delete", "-f", id});
    std::string left = describe_leftovers(state_root_, id, {work_, rootfs_});
    EXPECT_EQ(left, "") << "left behind by container " << id;
  }
  detach_mounts_under({work_});
  std::error_code error;
  fs::remove_all(work_, error);
}

json ContainerTest::config(const Tweak& tweak) const {
  json result = base_config(rootfs_, id_);
  if (tweak) tweak(result);
  return result;
}

void ContainerTest::write_config(const Tweak& tweak) {
  write_text(bundle_ + "/config.json", config(tweak).dump(2));
}

void ContainerTest::write_config_text(const std::string& text) {
  write_text(bundle_ + "/config.json", text);
}

CommandResult ContainerTest::runtime(const std::vector<std::string>& args,
                                     std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {runtime_path(), "--root", state_root_};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, work_, timeout);
}

std::unique_ptr<Command> ContainerTest::start_runtime(const std::vector<std::string>& args,
                                                      const std::string& name) {
  std::vector<std::string> argv = {runtime_path(), "--root", state_root_};
  argv.insert(argv.end(), args.begin(), args.end());
  return std::make_unique<Command>(argv, work_ + "/" + name + ".out", work_ + "/" + name + ".err");
}

CommandResult ContainerTest::run_container(const Tweak& tweak) {
  write_config(tweak);
  return runtime({"run", "--bundle", bundle_, id_});
}

void ContainerTest::create_and_start(const Tweak& tweak) {
  write_config(tweak);
  CommandResult created = runtime({"create", "--bundle", bundle_, id_});
  ASSERT_EQ(created.exit_code, 0) << created.describe();
  CommandResult started = runtime({"start", id_});
  ASSERT_EQ(started.exit_code, 0) << started.describe();
}

int ContainerTest::init_pid() {
  json state = json::parse(runtime({"state", id_}).out, nullptr, false);
  return state.is_object() ? state.value("pid", 0) : 0;
}

json ContainerTest::probe_json(const Tweak& tweak) {
  CommandResult result = run_container(tweak);
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  json parsed = last_json_line(result.out);
  EXPECT_TRUE(parsed.is_object()) << "no JSON from the probe\n" << result.describe();
  return parsed.is_object() ? parsed : json();
}

std::string ContainerTest::container_status(const std::string& id) {
  CommandResult result = runtime({"state", id});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  json state = json::parse(result.out, nullptr, false);
  if (!state.is_object() || !state.contains("status")) {
    ADD_FAILURE() << "state output is not a state object\n" << result.describe();
    return "";
  }
  return state["status"].get<std::string>();
}

// The msg="..." values of logrus text lines, unescaped, one a line: runc and burrow write errors
// that way on stderr when there is no --log file.
static std::string decode_logrus_messages(const std::string& err) {
  std::string out;
  size_t pos = 0;
  while ((pos = err.find("msg=\"", pos)) != std::string::npos) {
    pos += 5;
    for (; pos < err.size() && err[pos] != '"'; ++pos) {
      if (err[pos] == '\\' && pos + 1 < err.size()) {
        char next = err[++pos];
        out += next == 'n' ? '\n' : next == 't' ? '\t' : next;
      } else {
        out += err[pos];
      }
    }
    out += '\n';
  }
  return out;
}

void ContainerTest::expect_error(const CommandResult& result, std::string_view key,
                                 const std::string& suffix) {
  EXPECT_NE(result.exit_code, 0) << "expected a failure (" << key << ")\n" << result.describe();
  EXPECT_FALSE(result.timed_out) << result.describe();
  const ExpectedMessage& message = expected_message(key);
  if (runtime_is_burrow() || message.runc_says_too) {
    std::string text(message.burrow_text);
    if (size_t at = text.find("{id}"); at != std::string::npos)
      text.replace(at, 4, suffix);
    else
      text += suffix;
    std::string err = result.err + decode_logrus_messages(result.err);
    EXPECT_NE(err.find(text), std::string::npos)
        << "stderr lacks \"" << text << "\" (" << key << ")\n"
        << result.describe();
  }
}

std::string ContainerTest::extra_id(const std::string& suffix) {
  ids_.push_back(id_ + "-" + suffix);
  return ids_.back();
}

}  // namespace integration
