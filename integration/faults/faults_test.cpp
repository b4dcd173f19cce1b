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

}  // namespace
}  // namespace integration
