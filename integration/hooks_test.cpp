// OCI hooks on real containers: every kind runs once, in order, in the namespaces the
// runtime-spec gives it, with the state on stdin; failing hooks fail create/start (and leave
// nothing behind) or only warn (poststop).
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;

const char* const kKinds[] = {"prestart",       "createRuntime", "createContainer",
                              "startContainer", "poststart",     "poststop"};

class Hooks : public ContainerTest {
 protected:
  void SetUp() override {
    ContainerTest::SetUp();
    log_dir_ = work_ + "/hooks";
    ASSERT_EQ(::mkdir(log_dir_.c_str(), 0777), 0);
  }

  // A hook that appends one line to the log: its kind, its mount and network namespaces, and
  // the state it got on stdin. startContainer runs inside the container (after pivot_root): it
  // uses the rootfs's busybox sh and the log's bind mount at /hooks.
  json logging_hook(const std::string& kind) const {
    bool inside = kind == "startContainer";
    std::string log = inside ? "/hooks/log" : log_dir_ + "/log";
    std::string script = "echo \"" + kind +
                         " $(readlink /proc/self/ns/mnt) $(readlink /proc/self/ns/net) "
                         "$(cat)\" >> " +
                         log;
    return {{"path", "/bin/sh"}, {"args", {"sh", "-c", script}}};
  }

  // Every kind logging, the log dir bound at /hooks, and `extra` applied last.
  void write_hooked_config(const std::string& args_command, const Tweak& extra = {}) {
    write_config([&](json& c) {
      c["process"]["args"] = {"/bin/sh", "-c", args_command};
      c["mounts"].push_back({{"destination", "/hooks"},
                             {"type", "bind"},
                             {"source", log_dir_},
                             {"options", {"rbind", "rw"}}});
      for (const char* kind : kKinds) c["hooks"][kind] = json::array({logging_hook(kind)});
      if (extra) extra(c);
    });
  }

  // The log's lines as {kind, mnt, net, state}.
  std::vector<std::tuple<std::string, std::string, std::string, json>> log_lines() const {
    std::vector<std::tuple<std::string, std::string, std::string, json>> lines;
    std::ifstream in(log_dir_ + "/log");
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream words(line);
      std::string kind, mnt, net;
      words >> kind >> mnt >> net;
      std::string rest;
      std::getline(words, rest);
      lines.emplace_back(kind, mnt, net, json::parse(rest, nullptr, false));
    }
    return lines;
  }

  static std::string host_link(const std::string& name) {
    char target[128] = {};
    std::string path = "/proc/self/ns/" + name;
    return ::readlink(path.c_str(), target, sizeof target - 1) > 0 ? target : "";
  }

  std::string log_dir_;
};

TEST_F(Hooks, EveryKindRunsOnceInOrderInItsNamespaces) {
  write_hooked_config("true");
  CommandResult run = runtime({"run", "--bundle", bundle_, id_});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  auto lines = log_lines();
  ASSERT_EQ(lines.size(), std::size(kKinds)) << run.describe();
  std::string container_mnt;
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto& [kind, mnt, net, state] = lines[i];
    SCOPED_TRACE(kind);
    // runc 1.1 releases `start` before its init runs startContainer hooks, so those race with
    // poststart; burrow's start waits for them (and for the execve) first.
    if (runtime_is_burrow() || (i != 3 && i != 4)) {
      EXPECT_EQ(kind, kKinds[i]);
    }
    ASSERT_TRUE(state.is_object());
    EXPECT_EQ(state["id"], id_);
    EXPECT_EQ(state["bundle"], bundle_);
    bool in_container = kind == "createContainer" || kind == "startContainer";
    (void)i;
    if (in_container) {
      EXPECT_NE(mnt, host_link("mnt"));
      EXPECT_NE(net, host_link("net"));
      if (container_mnt.empty()) container_mnt = mnt;
      EXPECT_EQ(mnt, container_mnt);
    } else {
      EXPECT_EQ(mnt, host_link("mnt"));
      EXPECT_EQ(net, host_link("net"));
    }
  }
  if (!runtime_is_burrow()) return;  // the statuses each kind sees are burrow's reading
  EXPECT_EQ(std::get<3>(lines[0])["status"], "creating");
  EXPECT_EQ(std::get<3>(lines[2])["status"], "creating");
  EXPECT_EQ(std::get<3>(lines[3])["status"], "created");
  EXPECT_EQ(std::get<3>(lines[3])["pid"], 1);  // the container's own view of its init
  EXPECT_EQ(std::get<3>(lines[4])["status"], "running");
  EXPECT_EQ(std::get<3>(lines[5])["status"], "stopped");
  EXPECT_GT(std::get<3>(lines[0])["pid"].get<int>(), 1);
  EXPECT_EQ(std::get<3>(lines[0])["pid"], std::get<3>(lines[4])["pid"]);
}

// prestart, createRuntime, createContainer: a failure fails create; TearDown checks that
// nothing (state, cgroup, process, mount) is left.
class FailingCreateHook : public Hooks, public ::testing::WithParamInterface<const char*> {};

TEST_P(FailingCreateHook, FailsCreateAndLeavesNothing) {
  std::string kind = GetParam();
  write_hooked_config("true", [&](json& c) {
    c["hooks"][kind] =
        json::array({{{"path", "/bin/sh"}, {"args", {"sh", "-c", "echo no >&2; exit 7"}}}});
  });
  CommandResult create = runtime({"create", "--bundle", bundle_, id_});
  EXPECT_NE(create.exit_code, 0) << create.describe();
  if (runtime_is_burrow()) {
    EXPECT_NE(create.err.find("error running " + kind +
                              " hook #0: error running hook: exit status 7, stdout: , stderr: no"),
              std::string::npos)
        << create.err;
  }
  EXPECT_NE(runtime({"state", id_}).exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(Kinds, FailingCreateHook,
                         ::testing::Values("prestart", "createRuntime", "createContainer"));

TEST_F(Hooks, HookTimeoutFailsCreate) {
  write_hooked_config("true", [](json& c) {
    c["hooks"]["createRuntime"] =
        json::array({{{"path", "/bin/sleep"}, {"args", {"sleep", "30"}}, {"timeout", 1}}});
  });
  CommandResult create = runtime({"create", "--bundle", bundle_, id_});
  EXPECT_NE(create.exit_code, 0) << create.describe();
  if (runtime_is_burrow()) {
    EXPECT_NE(create.err.find("error running createRuntime hook #0: hook ran past specified "
                              "timeout of 1.0s"),
              std::string::npos)
        << create.err;
  }
}

// startContainer fails the start: the process never runs and the container stops.
TEST_F(Hooks, FailingStartContainerHookFailsStart) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "runc 1.1 runs startContainer hooks after releasing start: it cannot fail";
  write_hooked_config("echo ran > /hooks/process", [](json& c) {
    c["hooks"]["startContainer"] =
        json::array({{{"path", "/bin/sh"}, {"args", {"sh", "-c", "exit 4"}}}});
  });
  ASSERT_EQ(runtime({"create", "--bundle", bundle_, id_}).exit_code, 0);
  CommandResult start = runtime({"start", id_});
  EXPECT_NE(start.exit_code, 0) << start.describe();
  if (runtime_is_burrow()) {
    EXPECT_NE(start.err.find("error running startContainer hook #0: error running hook: exit "
                             "status 4"),
              std::string::npos)
        << start.err;
  }
  EXPECT_NE(::access((log_dir_ + "/process").c_str(), F_OK), 0) << "the process ran";
  EXPECT_EQ(runtime({"delete", "-f", id_}).exit_code, 0);
}

// A poststop failure only warns: the lifecycle goes on (a poststart failure fails start, as in
// runc and crun: runc_compat_test).
TEST_F(Hooks, FailingPoststopOnlyWarns) {
  write_hooked_config("echo ran > /hooks/process", [](json& c) {
    c["hooks"]["poststop"] = json::array({{{"path", "/bin/false"}}});
  });
  CommandResult run = runtime({"run", "--bundle", bundle_, id_});
  EXPECT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(::access((log_dir_ + "/process").c_str(), F_OK), 0) << run.describe();
  if (runtime_is_burrow()) {
    EXPECT_NE(run.err.find("error running poststop hook #0"), std::string::npos) << run.err;
  }
  EXPECT_NE(runtime({"state", id_}).exit_code, 0);
}

// `start` fails on a failing poststart hook and kills the container (crun; runc 1.2): it is
// stopped, its process gone, until `delete`.
TEST_F(Hooks, FailingPoststartFailsStartAndKillsTheContainer) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "runc 1.1 runs poststart hooks at create (runc_compat_test checks run)";
  write_hooked_config("sleep 300", [](json& c) {
    c["hooks"]["poststart"] = json::array({{{"path", "/bin/false"}}});
  });
  ASSERT_EQ(runtime({"create", "--bundle", bundle_, id_}).exit_code, 0);
  CommandResult start = runtime({"start", id_});
  EXPECT_NE(start.exit_code, 0) << start.describe();
  EXPECT_NE(start.err.find("error running poststart hook #0"), std::string::npos) << start.err;
  EXPECT_EQ(container_status(id_), "stopped");
}

}  // namespace
}  // namespace integration
