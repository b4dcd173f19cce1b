// The container lifecycle with runc's semantics: create/start/state/kill/delete/run, exit
// codes, signal forwarding, and the errors of each wrong step.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <chrono>
#include <thread>

#include <filesystem>

#include "harness/container_test.hpp"
#include "harness/leftovers.hpp"

namespace integration {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
class Lifecycle : public ContainerTest {
 protected:
  // create with the probe waiting for signals; its output goes to <work>/container.out.
  void create_signal_waiter() {
    write_config([](json& c) { c["process"]["args"] = probe_args({"signals"}); });
    auto create = start_runtime({"create", "--bundle", bundle_, id_}, "container");
    CommandResult created = create->wait(30s);
    ASSERT_EQ(created.exit_code, 0) << created.describe();
  }
  std::string container_output() { return read_text(work_ + "/container.out"); }
  // Polls `state` until the status is `wanted` (an init may take a moment to exit).
  bool wait_until(const std::string& wanted) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (container_status(id_) == wanted) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
  bool wait_for_container_output(const std::string& text) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (container_output().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
  // A container whose process has run and exited.
  void make_stopped() {
    create_signal_waiter();
    ASSERT_EQ(runtime({"start", id_}).exit_code, 0);
    ASSERT_TRUE(wait_for_container_output("ready"));
    ASSERT_EQ(runtime({"kill", id_, "TERM"}).exit_code, 0);
    ASSERT_TRUE(wait_until("stopped"));
  }
};

TEST_F(Lifecycle, CreateStartRunningStopped) {
  create_signal_waiter();
  EXPECT_EQ(container_status(id_), "created");
  EXPECT_EQ(container_output(), "") << "the process must not run before start";
  CommandResult started = runtime({"start", id_});
  ASSERT_EQ(started.exit_code, 0) << started.describe();
  ASSERT_TRUE(wait_for_container_output("ready")) << container_output();
  EXPECT_EQ(container_status(id_), "running");
  CommandResult killed = runtime({"kill", id_, "SIGUSR1"});
  EXPECT_EQ(killed.exit_code, 0) << killed.describe();
  EXPECT_TRUE(wait_for_container_output("signal 10")) << container_output();
  EXPECT_EQ(runtime({"kill", id_}).exit_code, 0) << "default signal is SIGTERM";
  EXPECT_TRUE(wait_until("stopped"));
  EXPECT_NE(container_output().find("signal 15"), std::string::npos) << container_output();
  CommandResult deleted = runtime({"delete", id_});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.describe();
}

TEST_F(Lifecycle, StateReportsIdPidBundle) {
  create_signal_waiter();
  CommandResult state = runtime({"state", id_});
  ASSERT_EQ(state.exit_code, 0) << state.describe();
  json parsed = json::parse(state.out, nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << state.out;
  EXPECT_EQ(parsed["id"], id_);
  EXPECT_EQ(parsed["bundle"], bundle_);
  EXPECT_GT(parsed["pid"].get<int>(), 0);
  EXPECT_TRUE(parsed.contains("ociVersion"));
}

TEST_F(Lifecycle, KillOfAStoppedContainerFails) {
  make_stopped();
  expect_error(runtime({"kill", id_, "KILL"}), "not_running");
}

TEST_F(Lifecycle, KillAllOfAStoppedContainerSucceeds) {
  make_stopped();
  CommandResult result = runtime({"kill", "--all", id_, "KILL"});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
}

TEST_F(Lifecycle, StartOfAStoppedContainerFails) {
  make_stopped();
  EXPECT_NE(runtime({"start", id_}).exit_code, 0);
}

TEST_F(Lifecycle, ForceDeleteOfAnUnknownIdSucceeds) {
  CommandResult result = runtime({"delete", "-f", "no-such-container"});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
}

TEST_F(Lifecycle, DeleteOfACreatedContainerKillsAndDeletesIt) {
  create_signal_waiter();
  CommandResult state = runtime({"state", id_});
  int pid = json::parse(state.out, nullptr, false).value("pid", 0);
  ASSERT_GT(pid, 0) << state.describe();
  CommandResult deleted = runtime({"delete", id_});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.describe();
  EXPECT_NE(runtime({"state", id_}).exit_code, 0);
  // The init may linger as a zombie of the host's init for a moment; it must not be alive.
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (kill(pid, 0) == 0 && std::chrono::steady_clock::now() < deadline) {
    std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
    if (stat.find(") Z") != std::string::npos) break;
    std::this_thread::sleep_for(20ms);
  }
  std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
  EXPECT_TRUE(stat.empty() || stat.find(") Z") != std::string::npos) << stat;
}

// CVE-2019-5736: the created init is a clone of the runtime, so /proc/<init>/exe must be a
// sealed view (a write-sealed memfd, or a read-only overlay), never the installed binary.
TEST_F(Lifecycle, CreatedInitRunsFromASealedBinary) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "Debian's runc 1.1.5 leaves its created init on the installed binary "
                    "(only ETXTBSY guards it while it runs)";
  create_signal_waiter();
  int pid = json::parse(runtime({"state", id_}).out, nullptr, false).value("pid", 0);
  ASSERT_GT(pid, 0);
  std::string exe = "/proc/" + std::to_string(pid) + "/exe";
  int view = ::open(exe.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(view, 0) << exe << ": " << std::strerror(errno);
  struct stat view_stat {};
  struct stat installed {};
  ASSERT_EQ(::fstat(view, &view_stat), 0);
  ASSERT_EQ(::stat(runtime_path().c_str(), &installed), 0);
  EXPECT_FALSE(view_stat.st_dev == installed.st_dev && view_stat.st_ino == installed.st_ino)
      << exe << " is the installed binary " << runtime_path();
  int seals = ::fcntl(view, F_GET_SEALS);
  ::close(view);
  if (seals >= 0) {
    EXPECT_NE(seals & F_SEAL_WRITE, 0) << "memfd without a write seal";
  } else {
    // Not a memfd: opening it for writing (which by itself changes nothing) must be refused.
    int writable = ::open(exe.c_str(), O_WRONLY | O_CLOEXEC);
    int error = errno;
    if (writable >= 0) ::close(writable);
    EXPECT_LT(writable, 0) << exe << " opens for writing";
    EXPECT_EQ(error, EROFS) << std::strerror(error);
  }
}

TEST_F(Lifecycle, DeleteOfARunningContainerNeedsForce) {
  create_signal_waiter();
  ASSERT_EQ(runtime({"start", id_}).exit_code, 0);
  ASSERT_TRUE(wait_for_container_output("ready"));
  expect_error(runtime({"delete", id_}), "delete_running", id_);
  EXPECT_EQ(container_status(id_), "running");
  CommandResult forced = runtime({"delete", "-f", id_});
  EXPECT_EQ(forced.exit_code, 0) << forced.describe();
  EXPECT_NE(runtime({"state", id_}).exit_code, 0);
}

TEST_F(Lifecycle, DuplicateIdIsRefused) {
  create_signal_waiter();
  CommandResult again = runtime({"create", "--bundle", bundle_, id_});
  expect_error(again, "id_exists");
  EXPECT_EQ(container_status(id_), "created") << "the first container must survive";
}

// A `create` killed before it saved state.json leaves only its directory; delete clears it so
// the id can be used again. (burrow's state layout: <root>/<id>/state.json.)
TEST_F(Lifecycle, DeleteClearsWhatADeadCreateLeft) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "burrow's own state directory layout";
  std::filesystem::create_directories(state_root_ + "/" + id_);
  CommandResult deleted = runtime({"delete", id_});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.describe();
  EXPECT_FALSE(std::filesystem::exists(state_root_ + "/" + id_));
  write_config();
  CommandResult created = runtime({"create", "--bundle", bundle_, id_});
  EXPECT_EQ(created.exit_code, 0) << created.describe();
}

TEST_F(Lifecycle, UnknownIdDoesNotExist) {
  for (std::vector<std::string> args : {std::vector<std::string>{"state", "nope"},
                                        {"start", "nope"},
                                        {"kill", "nope", "KILL"},
                                        {"delete", "nope"}}) {
    expect_error(runtime(args), "does_not_exist");
  }
}

TEST_F(Lifecycle, RunExitsWithTheProcessExitCode) {
  CommandResult result = run_container([](json& c) {
    c["process"]["args"] = probe_args({"exit", "7"});
  });
  EXPECT_EQ(result.exit_code, 7) << result.describe();
  EXPECT_NE(runtime({"state", id_}).exit_code, 0) << "run deletes the container after it exits";
}

TEST_F(Lifecycle, RunExitsWith128PlusSignalWhenKilled) {
  write_config([](json& c) { c["process"]["args"] = probe_args({"signals"}); });
  auto run = start_runtime({"run", "--bundle", bundle_, id_}, "run");
  ASSERT_TRUE(run->wait_for_output("ready", 10s));
  CommandResult killed = runtime({"kill", id_, "KILL"});
  EXPECT_EQ(killed.exit_code, 0) << killed.describe();
  CommandResult result = run->wait(10s);
  EXPECT_EQ(result.exit_code, 128 + SIGKILL) << result.describe();
}

TEST_F(Lifecycle, ForegroundRunForwardsSignals) {
  write_config([](json& c) { c["process"]["args"] = probe_args({"signals"}); });
  auto run = start_runtime({"run", "--bundle", bundle_, id_}, "run");
  ASSERT_TRUE(run->wait_for_output("ready", 10s));
  run->send_signal(SIGUSR1);
  EXPECT_TRUE(run->wait_for_output("signal 10", 10s));
  run->send_signal(SIGTERM);
  CommandResult result = run->wait(10s);
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.out.find("signal 15"), std::string::npos) << result.describe();
}

TEST_F(Lifecycle, DetachedRunKeepsRunning) {
  write_config([](json& c) { c["process"]["args"] = probe_args({"signals"}); });
  auto run = start_runtime({"run", "--detach", "--bundle", bundle_, id_}, "container");
  CommandResult detached = run->wait(30s);
  ASSERT_EQ(detached.exit_code, 0) << detached.describe();
  ASSERT_TRUE(wait_for_container_output("ready"));
  EXPECT_EQ(container_status(id_), "running");
}

TEST_F(Lifecycle, ListShowsTheContainer) {
  create_signal_waiter();
  CommandResult table = runtime({"list"});
  EXPECT_EQ(table.exit_code, 0) << table.describe();
  EXPECT_NE(table.out.find(id_), std::string::npos) << table.out;
  CommandResult quiet = runtime({"list", "-q"});
  EXPECT_EQ(quiet.out, id_ + "\n");
  CommandResult as_json = runtime({"list", "--format", "json"});
  json parsed = json::parse(as_json.out, nullptr, false);
  ASSERT_TRUE(parsed.is_array()) << as_json.describe();
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0]["id"], id_);
  EXPECT_EQ(parsed[0]["status"], "created");
}

TEST_F(Lifecycle, PidFileIsWritten) {
  write_config([](json& c) { c["process"]["args"] = probe_args({"signals"}); });
  std::string pid_file = work_ + "/init.pid";
  auto create =
      start_runtime({"create", "--bundle", bundle_, "--pid-file", pid_file, id_}, "container");
  ASSERT_EQ(create->wait(30s).exit_code, 0);
  json state = json::parse(runtime({"state", id_}).out, nullptr, false);
  EXPECT_EQ(read_text(pid_file), std::to_string(state.value("pid", -1)));
}

// The leftover checks TearDown relies on must see a live container, or every "nothing left
// behind" assertion would pass vacuously.
TEST_F(Lifecycle, LeftoverChecksSeeALiveContainer) {
  create_signal_waiter();
  std::string left = describe_leftovers(state_root_, id_, {work_, rootfs_});
  EXPECT_NE(left.find("process"), std::string::npos) << left;
  EXPECT_NE(left.find("state directory"), std::string::npos) << left;
  EXPECT_NE(left.find("cgroup"), std::string::npos) << left;
}

}  // namespace
}  // namespace integration
