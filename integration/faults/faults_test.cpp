// Kill-safety (label faults): burrow killed at each named step of create, start, exec and delete
// (BURROW_FAULT_AT=STEP makes the process reaching that step SIGKILL itself: base/phase_trace.hpp),
// and at random times, must leave nothing that `delete -f` or `gc` cannot remove: no state dir,
// process, mount or cgroup (the harness checks at the end of every test), no init waiting forever,
// and a bystander container untouched.
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "harness/container_test.hpp"
#include "harness/environment.hpp"

namespace integration {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Sets BURROW_FAULT_AT for the commands run while it lives.
class FaultAt {
 public:
  explicit FaultAt(const std::string& step) { ::setenv("BURROW_FAULT_AT", step.c_str(), 1); }
  ~FaultAt() { ::unsetenv("BURROW_FAULT_AT"); }
  FaultAt(const FaultAt&) = delete;
  FaultAt& operator=(const FaultAt&) = delete;
};

class Faults : public ContainerTest {
 protected:
  void SetUp() override {
    ContainerTest::SetUp();
    if (!runtime_is_burrow()) GTEST_SKIP() << "BURROW_FAULT_AT is burrow's own test hook";
    bystander_ = extra_id("bystander");
    // The bystander carries a marker of its own, so the harness tells its processes apart.
    write_config([&](json& c) {
      c["process"]["args"] = probe_args({"sleep", "120"});
      for (auto& variable : c["process"]["env"])
        if (variable.get<std::string>().starts_with("BURROW_TEST_ID="))
          variable = "BURROW_TEST_ID=" + bystander_;
    });
    ASSERT_EQ(runtime({"run", "-d", "--bundle", bundle_, bystander_}).exit_code, 0);
    write_config([](json& c) {
      c["process"]["args"] = probe_args({"sleep", "120"});
      c["linux"]["resources"]["pids"] = {{"limit", 64}};
    });
  }

  // After the faulty command: `gc` first (what it must find), then `delete -f`; the bystander
  // runs on and nothing of `id_` is left.
  void expect_recovered() {
    CommandResult gc = runtime({"gc"});
    EXPECT_EQ(gc.exit_code, 0) << gc.describe();
    CommandResult deleted = runtime({"delete", "-f", id_});
    EXPECT_EQ(deleted.exit_code, 0) << deleted.describe();
    EXPECT_FALSE(std::filesystem::exists(state_root_ + "/" + id_)) << "state dir left";
    EXPECT_EQ(container_status(bystander_), "running") << "the bystander was touched";
  }

  std::string bystander_;
};

class CreateFault : public Faults, public ::testing::WithParamInterface<const char*> {};

// Killed at a step of create (its own, or the init's): the create fails, and gc finds what a
// killed parent could not undo.
TEST_P(CreateFault, LeavesNothingGcAndDeleteCannotRemove) {
  {
    FaultAt fault(GetParam());
    CommandResult created = runtime({"create", "--bundle", bundle_, id_});
    EXPECT_NE(created.exit_code, 0) << "the fault point was not reached: " << created.describe();
  }
  // The init of a killed parent holds the state dir's lock (an inherited fd) until it has seen
  // the channel's EOF and exited, a few ms; gc skips a locked dir, so it is asked again.
  CommandResult gc;
  for (int i = 0; i < 40; ++i) {
    gc = runtime({"gc"});
    EXPECT_EQ(gc.exit_code, 0) << gc.describe();
    if (!std::filesystem::exists(state_root_ + "/" + id_)) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_FALSE(std::filesystem::exists(state_root_ + "/" + id_))
      << "gc left the dead create's state: " << gc.describe();
  expect_recovered();
}

INSTANTIATE_TEST_SUITE_P(Steps, CreateFault,
                         ::testing::Values("lock state dir", "load and validate config",
                                           "compile seccomp filter", "plan namespaces and network",
                                           "cgroups: make, limit", "prepare detached mounts",
                                           "clone3 init", "parent: drive init",
                                           "parent: place init in cgroups", "close inherited fds",
                                           "mounts", "pivot_root", "masked and readonly paths",
                                           "switch user", "resolve executable", "ready",
                                           "wait until recorded", "start network", "save state"),
                         [](const auto& info) {
                           std::string name;
                           for (const char* c = info.param; *c; ++c)
                             if (std::isalnum(static_cast<unsigned char>(*c))) name += *c;
                           return name;
                         });

// Killed while starting: the container is recorded; delete -f removes it.
TEST_F(Faults, StartKilledReleasingTheInit) {
  ASSERT_EQ(runtime({"create", "--bundle", bundle_, id_}).exit_code, 0);
  {
    FaultAt fault("release the init (exec fifo)");
    EXPECT_NE(runtime({"start", id_}).exit_code, 0);
  }
  expect_recovered();
}

// Killed in the middle of delete (each of its steps): a second delete -f finishes.
TEST_F(Faults, DeleteKilledAtEachStepIsFinishedByTheNext) {
  for (const char* step :
       {"kill processes", "stop network helpers", "remove cgroups", "remove state dir"}) {
    ASSERT_EQ(runtime({"run", "-d", "--bundle", bundle_, id_}).exit_code, 0) << step;
    {
      FaultAt fault(step);
      EXPECT_NE(runtime({"delete", "-f", id_}).exit_code, 0) << step;
    }
    expect_recovered();
  }
}

// An exec killed at its steps leaves the container as it was; delete -f removes everything.
TEST_F(Faults, ExecKilledLeavesTheContainerRunning) {
  ASSERT_EQ(runtime({"run", "-d", "--bundle", bundle_, id_}).exit_code, 0);
  for (const char* step : {"load state and process", "close inherited fds", "switch user"}) {
    FaultAt fault(step);
    EXPECT_NE(runtime({"exec", id_, "/probe", "exit", "0"}).exit_code, 0) << step;
    EXPECT_EQ(container_status(id_), "running") << step;
  }
  expect_recovered();
}

// 20 creates SIGKILLed at random points of their first 60 ms (the reproduction).
TEST_F(Faults, CreatesKilledAtRandomTimes) {
  std::mt19937 random(static_cast<unsigned>(::getpid()));
  for (int i = 0; i < 20; ++i) {
    std::string id = extra_id("random" + std::to_string(i));
    auto create = start_runtime({"run", "-d", "--bundle", bundle_, id}, "random");
    std::this_thread::sleep_for(std::chrono::microseconds(random() % 60000));
    create->send_signal(SIGKILL);
    create->wait(10s);
  }
  CommandResult gc = runtime({"gc"});
  EXPECT_EQ(gc.exit_code, 0) << gc.describe();
  CommandResult listed = runtime({"list", "--format", "json"});
  json all = json::parse(listed.out, nullptr, false);
  // Whatever gc leaves got as far as being recorded: created, running, or stopped (a start
  // killed while the init wrote its fifo verdict ends the init by SIGPIPE), never "creating";
  // listed, and deletable.
  if (all.is_array()) {
    for (const auto& entry : all) {
      std::string id = entry["id"];
      if (id == bystander_) continue;
      EXPECT_NE(entry["status"], "creating") << entry;
      EXPECT_EQ(runtime({"delete", "-f", id}).exit_code, 0) << id;
    }
  }
  for (const auto& dir : std::filesystem::directory_iterator(state_root_))
    EXPECT_EQ(dir.path().filename(), bystander_) << "left: " << dir.path();
  EXPECT_EQ(container_status(bystander_), "running");
}

// The state root on a full filesystem (a 64 KiB tmpfs filled up): create fails with the
// reason, and nothing of the container is left (its cgroups are never made: the state is
// saved before them).
TEST_F(Faults, StateRootOnAFullFilesystem) {
  std::string full = work_ + "/full-root";
  std::filesystem::create_directories(full);
  ASSERT_EQ(run_command({"mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", full}, work_).exit_code,
            0);
  run_command({"dd", "if=/dev/zero", "of=" + full + "/filler", "bs=4k", "count=64"}, work_);
  CommandResult created =
      run_command({runtime_path(), "--root", full, "create", "--bundle", bundle_, id_}, work_);
  EXPECT_NE(created.exit_code, 0) << created.describe();
  EXPECT_NE(created.err.find("No space left on device"), std::string::npos) << created.describe();
  EXPECT_FALSE(std::filesystem::exists(full + "/" + id_)) << "state dir left on the full root";
  run_command({runtime_path(), "--root", full, "delete", "-f", id_}, work_);
  run_command({"umount", full}, work_);
  EXPECT_EQ(container_status(bystander_), "running");
}

// A read-only state root: create fails naming it, nothing is made.
TEST_F(Faults, ReadOnlyStateRoot) {
  std::string ro = work_ + "/ro-root";
  std::filesystem::create_directories(ro);
  ASSERT_EQ(run_command({"mount", "-t", "tmpfs", "-o", "ro", "tmpfs", ro}, work_).exit_code, 0);
  CommandResult created =
      run_command({runtime_path(), "--root", ro, "create", "--bundle", bundle_, id_}, work_);
  EXPECT_NE(created.exit_code, 0) << created.describe();
  EXPECT_NE(created.err.find("Read-only file system"), std::string::npos) << created.describe();
  run_command({"umount", ro}, work_);
  EXPECT_EQ(container_status(bystander_), "running");
}

// A pids limit already reached (a parent cgroup at pids.max 0). cgroup v1 checks the limit at
// fork only, so the init, cloned outside and moved in, is created; v2's CLONE_INTO_CGROUP fails
// the clone itself. Either way nothing is left, and an exec (a fork inside the cgroup) fails
// with the kernel's answer instead of hanging or leaking its helper.
TEST_F(Faults, FullPidsLimitDuringCreate) {
  const std::string parent = "/sys/fs/cgroup/pids/" + id_ + "-full";
  if (::access("/sys/fs/cgroup/pids/cgroup.procs", F_OK) != 0) GTEST_SKIP() << "no v1 pids";
  ASSERT_EQ(::mkdir(parent.c_str(), 0755), 0);
  write_text(parent + "/pids.max", "0");
  write_config([&](json& c) {
    c["process"]["args"] = probe_args({"sleep", "120"});
    c["linux"]["cgroupsPath"] = "/" + id_ + "-full/" + id_;
  });
  CommandResult created = runtime({"create", "--bundle", bundle_, id_});
  if (created.exit_code == 0) {
    ASSERT_EQ(runtime({"start", id_}).exit_code, 0);
    CommandResult exec = runtime({"exec", id_, "/probe", "exit", "0"});
    EXPECT_NE(exec.exit_code, 0) << "a fork past pids.max 0: " << exec.describe();
    EXPECT_EQ(container_status(id_), "running");
  }
  EXPECT_EQ(runtime({"delete", "-f", id_}).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(parent + "/" + id_)) << "the container's cgroup is left";
  EXPECT_FALSE(std::filesystem::exists(state_root_ + "/" + id_));
  ::rmdir(parent.c_str());
  EXPECT_EQ(container_status(bystander_), "running");
}

// The bundle removed between create and start: the container runs from what create took (its
// own copy of config.json, the rootfs it mounted), and delete leaves nothing.
TEST_F(Faults, BundleDeletedBetweenCreateAndStart) {
  ASSERT_EQ(runtime({"create", "--bundle", bundle_, id_}).exit_code, 0);
  std::filesystem::remove_all(bundle_);
  CommandResult started = runtime({"start", id_});
  EXPECT_EQ(started.exit_code, 0) << started.describe();
  EXPECT_EQ(container_status(id_), "running");
  expect_recovered();
}

}  // namespace
}  // namespace integration
