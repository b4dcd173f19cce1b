// linux.seccomp end to end: what the probe inside sees (mode 2, errnos, a killed process), and
// the notification fd handed to a seccomp agent at listenerPath (this test plays the agent).
// The rules filter getsid and getpriority, which neither burrow's init nor runc's calls between
// loading the filter and execve (runc's init calls getppid, and the Go runtime sched_yield).
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "expected_messages.hpp"
#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class SeccompTest : public ContainerTest {
 protected:
  // The probe's `syscalls` report under `seccomp`, with noNewPrivileges as given.
  json syscalls_seen(const json& seccomp, const std::vector<std::string>& calls,
                     bool no_new_privileges = true) {
    std::vector<std::string> args{"syscalls"};
    args.insert(args.end(), calls.begin(), calls.end());
    return probe_json([&](json& c) {
      c["process"]["args"] = probe_args(args);
      c["process"]["noNewPrivileges"] = no_new_privileges;
      c["linux"]["seccomp"] = seccomp;
    });
  }
};

json allow_except(json rules) {
  return {{"defaultAction", "SCMP_ACT_ALLOW"}, {"syscalls", std::move(rules)}};
}

json errno_of(const json& seen, const char* name) {
  return seen["results"][name]["errno"];
}

void expect_errno_rules_apply(const json& seen) {
  ASSERT_TRUE(seen.is_object());
  EXPECT_EQ(seen["seccomp"], 2) << "Seccomp: line of /proc/self/status";
  EXPECT_EQ(errno_of(seen, "getsid"), "ENOTTY") << seen;
  EXPECT_EQ(errno_of(seen, "getpriority"), "EPERM") << "errnoRet defaults to EPERM: " << seen;
  EXPECT_EQ(errno_of(seen, "getpid"), nullptr) << seen;
  EXPECT_EQ(seen["results"]["getpid"]["ret"], 1);
}

const json kErrnoRules = {
    {{"names", {"getsid"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", ENOTTY}},
    {{"names", {"getpriority"}}, {"action", "SCMP_ACT_ERRNO"}},
};

// Loaded right before execve.
TEST_F(SeccompTest, ErrnoRulesWithNoNewPrivileges) {
  expect_errno_rules_apply(
      syscalls_seen(allow_except(kErrnoRules), {"getsid", "getpriority", "getpid"}));
}

// Loaded before the user switch, while the init still has CAP_SYS_ADMIN.
TEST_F(SeccompTest, ErrnoRulesWithoutNoNewPrivileges) {
  json seen = syscalls_seen(allow_except(kErrnoRules), {"getsid", "getpriority", "getpid"}, false);
  expect_errno_rules_apply(seen);
}

TEST_F(SeccompTest, ErrnoRulesForAnotherUser) {
  json seen = probe_json([](json& c) {
    c["process"]["args"] = probe_args({"syscalls", "getsid", "getpriority", "getpid"});
    c["process"]["noNewPrivileges"] = false;
    c["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
    c["linux"]["seccomp"] = allow_except(kErrnoRules);
  });
  expect_errno_rules_apply(seen);
}

TEST_F(SeccompTest, ArgumentConditions) {
  json rules = {
      {{"names", {"getsid"}},
       {"action", "SCMP_ACT_ERRNO"},
       {"errnoRet", EDOM},
       {"args",
        {{{"index", 0}, {"value", 0xF0}, {"valueTwo", 0x30}, {"op", "SCMP_CMP_MASKED_EQ"}}}}},
      {{"names", {"getpriority"}},
       {"action", "SCMP_ACT_ERRNO"},
       {"args",
        {{{"index", 0}, {"value", 7}, {"op", "SCMP_CMP_GT"}},
         {{"index", 1}, {"value", 3}, {"op", "SCMP_CMP_EQ"}}}}}};
  json seen = syscalls_seen(allow_except(rules), {"getsid:0x35", "getpriority:8:3"});
  ASSERT_TRUE(seen.is_object());
  EXPECT_EQ(errno_of(seen, "getsid"), "EDOM") << seen;
  EXPECT_EQ(errno_of(seen, "getpriority"), "EPERM") << seen;
  // Conditions not met: the calls run (getpriority(0, 0) is this process's nice value).
  json passed = syscalls_seen(allow_except(rules), {"getsid:0x45", "getpriority:0:3"});
  ASSERT_TRUE(passed.is_object());
  EXPECT_EQ(errno_of(passed, "getsid"), "ESRCH") << "no process 0x45 here: " << passed;
  EXPECT_NE(errno_of(passed, "getpriority"), "EPERM") << passed;
}

TEST_F(SeccompTest, UnknownSyscallNamesAreSkipped) {
  json rules = {{{"names", {"burrow_no_such_syscall", "getsid"}}, {"action", "SCMP_ACT_ERRNO"}}};
  json seen = syscalls_seen(allow_except(rules), {"getsid"});
  ASSERT_TRUE(seen.is_object());
  EXPECT_EQ(errno_of(seen, "getsid"), "EPERM") << seen;
}

TEST_F(SeccompTest, KillProcessEndsTheContainer) {
  write_config([](json& c) {
    c["process"]["args"] = probe_args({"syscalls", "getsid"});
    c["linux"]["seccomp"] =
        allow_except({{{"names", {"getsid"}}, {"action", "SCMP_ACT_KILL_PROCESS"}}});
  });
  CommandResult result = runtime({"run", "--bundle", bundle_, id_});
  EXPECT_EQ(result.exit_code, 128 + SIGSYS) << result.describe();
  EXPECT_EQ(result.out, "") << "killed before it could report";
}

TEST_F(SeccompTest, NotifyWithoutListenerPathIsRefused) {
  write_config([](json& c) {
    c["linux"]["seccomp"] = allow_except({{{"names", {"getsid"}}, {"action", "SCMP_ACT_NOTIFY"}}});
  });
  expect_error(runtime({"run", "--bundle", bundle_, id_}), "seccomp_notify_without_listener");
}

TEST_F(SeccompTest, MissingAgentFailsTheCreate) {
  write_config([&](json& c) {
    c["linux"]["seccomp"] = allow_except({{{"names", {"getsid"}}, {"action", "SCMP_ACT_NOTIFY"}}});
    c["linux"]["seccomp"]["listenerPath"] = work_ + "/nobody-listens.sock";
  });
  expect_error(runtime({"create", "--bundle", bundle_, id_}), "seccomp_agent_missing");
}

// The test is the seccomp agent: it listens at listenerPath, receives the containerProcessState
// and the notification fd, and answers the probe's getsid with 4242.
class SeccompAgent : public SeccompTest, public ::testing::WithParamInterface<bool> {
 protected:
  void listen_at(const std::string& path) {
    server_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(server_, 0);
    struct sockaddr_un address {};
    address.sun_family = AF_UNIX;
    ASSERT_LT(path.size(), sizeof(address.sun_path));
    std::strcpy(address.sun_path, path.c_str());
    ASSERT_EQ(::bind(server_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    ASSERT_EQ(::listen(server_, 1), 0);
  }
  void TearDown() override {
    for (int fd : {server_, connection_, notify_fd_}) {
      if (fd >= 0) ::close(fd);
    }
    SeccompTest::TearDown();
  }
  static bool readable(int fd, std::chrono::milliseconds timeout) {
    struct pollfd wanted = {fd, POLLIN, 0};
    return ::poll(&wanted, 1, static_cast<int>(timeout.count())) == 1;
  }
  // One containerProcessState with its fd.
  json receive_state() {
    char buffer[8192] = {};
    struct iovec iov = {buffer, sizeof(buffer) - 1};
    alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * 4)] = {};
    struct msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    ssize_t n = ::recvmsg(connection_, &msg, MSG_CMSG_CLOEXEC);
    if (n <= 0) return nullptr;
    std::string text(buffer, static_cast<size_t>(n));
    while (readable(connection_, 1s)) {  // the rest, if it came in several sends
      ssize_t more = ::read(connection_, buffer, sizeof(buffer) - 1);
      if (more <= 0) break;
      text.append(buffer, static_cast<size_t>(more));
    }
    struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    if (cmsg && cmsg->cmsg_type == SCM_RIGHTS)
      std::memcpy(&notify_fd_, CMSG_DATA(cmsg), sizeof(int));
    return json::parse(text, nullptr, false);
  }

  int server_ = -1, connection_ = -1, notify_fd_ = -1;
};

TEST_P(SeccompAgent, GetsTheStateAndAnswersNotifications) {
  const bool no_new_privileges = GetParam();
  std::string agent = work_ + "/agent.sock";
  listen_at(agent);
  write_config([&](json& c) {
    c["process"]["args"] = probe_args({"syscalls", "getsid:77", "getpid"});
    c["process"]["noNewPrivileges"] = no_new_privileges;
    c["annotations"] = {{"org.example.job", "42"}};
    c["linux"]["seccomp"] = allow_except({{{"names", {"getsid"}}, {"action", "SCMP_ACT_NOTIFY"}}});
    c["linux"]["seccomp"]["listenerPath"] = agent;
    c["linux"]["seccomp"]["listenerMetadata"] = "job=42";
  });
  auto run = start_runtime({"run", "--bundle", bundle_, id_}, "run");
  ASSERT_TRUE(readable(server_, 20s))
      << "no connection from the runtime: " << run->wait(1s).describe();
  connection_ = ::accept4(server_, nullptr, nullptr, SOCK_CLOEXEC);
  ASSERT_GE(connection_, 0);
  json state = receive_state();
  ASSERT_TRUE(state.is_object()) << state;
  ASSERT_GE(notify_fd_, 0) << "no fd with the state";
  EXPECT_TRUE(state["ociVersion"].is_string()) << state;
  EXPECT_EQ(state["fds"], json({"seccompFd"})) << state;
  EXPECT_EQ(state["metadata"], "job=42");
  EXPECT_GT(state["pid"].get<int>(), 0);
  const json& oci = state["state"];
  EXPECT_EQ(oci["id"], id_);
  EXPECT_EQ(oci["status"], "creating");
  EXPECT_EQ(oci["pid"], state["pid"]);
  EXPECT_EQ(oci["bundle"], bundle_);
  EXPECT_EQ(oci["annotations"]["org.example.job"], "42") << state;
  // One state per connection, then the runtime closes it (runtime-spec). runc 1.1.5 keeps it
  // open while `run` lives.
  if (runtime_is_burrow()) {
    char byte;
    ASSERT_TRUE(readable(connection_, 10s)) << "connection left open";
    EXPECT_EQ(::read(connection_, &byte, 1), 0);
  }

  ASSERT_TRUE(readable(notify_fd_, 20s)) << "no notification: " << run->wait(1s).describe();
  struct seccomp_notif* request = nullptr;
  struct seccomp_notif_resp* response = nullptr;
  ASSERT_EQ(seccomp_notify_alloc(&request, &response), 0);
  ASSERT_EQ(seccomp_notify_receive(notify_fd_, request), 0);
  EXPECT_EQ(request->data.nr, SYS_getsid);
  EXPECT_EQ(request->data.args[0], 77u);
  response->id = request->id;
  response->val = 4242;
  response->error = 0;
  response->flags = 0;
  EXPECT_EQ(seccomp_notify_respond(notify_fd_, response), 0);
  seccomp_notify_free(request, response);

  CommandResult result = run->wait(30s);
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  json seen = last_json_line(result.out);
  EXPECT_EQ(seen["seccomp"], 2);
  EXPECT_EQ(seen["results"]["getsid"]["ret"], 4242) << seen;
  EXPECT_EQ(seen["results"]["getpid"]["ret"], 1) << "not notified: " << seen;
}

// Answers the next notification on `fd` (a getsid call with `arg`) with `value`.
void answer_getsid(int fd, uint64_t arg, int value) {
  struct seccomp_notif* request = nullptr;
  struct seccomp_notif_resp* response = nullptr;
  ASSERT_EQ(seccomp_notify_alloc(&request, &response), 0);
  ASSERT_EQ(seccomp_notify_receive(fd, request), 0);
  EXPECT_EQ(request->data.nr, SYS_getsid);
  EXPECT_EQ(request->data.args[0], arg);
  response->id = request->id;
  response->val = value;
  response->error = 0;
  response->flags = 0;
  EXPECT_EQ(seccomp_notify_respond(fd, response), 0);
  seccomp_notify_free(request, response);
}

// exec into a container whose filter notifies (runc 1.1 does it): the exec'd process loads the
// filter itself, and its notification fd reaches the agent on a connection of its own, with the
// containerProcessState of that process (its pid; the state's pid is the init's, status running).
TEST_P(SeccompAgent, ExecGetsANotificationFdOfItsOwn) {
  const bool no_new_privileges = GetParam();
  std::string agent = work_ + "/agent.sock";
  listen_at(agent);
  write_config([&](json& c) {
    c["process"]["args"] = probe_args({"sleep", "600"});
    c["process"]["noNewPrivileges"] = no_new_privileges;
    c["linux"]["seccomp"] = allow_except({{{"names", {"getsid"}}, {"action", "SCMP_ACT_NOTIFY"}}});
    c["linux"]["seccomp"]["listenerPath"] = agent;
  });
  auto create = start_runtime({"create", "--bundle", bundle_, id_}, "create");
  ASSERT_TRUE(readable(server_, 20s))
      << "no connection for the init: " << create->wait(1s).describe();
  connection_ = ::accept4(server_, nullptr, nullptr, SOCK_CLOEXEC);
  ASSERT_GE(connection_, 0);
  json init_state = receive_state();
  ASSERT_TRUE(init_state.is_object()) << init_state;
  CommandResult created = create->wait(30s);
  ASSERT_EQ(created.exit_code, 0) << created.describe();
  ASSERT_EQ(runtime({"start", id_}).exit_code, 0);
  const int init_pid = this->init_pid();
  ::close(connection_);  // the init's; runc 1.1.5 keeps its end open while `create` lives
  ::close(notify_fd_);
  connection_ = notify_fd_ = -1;

  auto exec = start_runtime({"exec", id_, "/probe", "syscalls", "getsid:78", "getpid"}, "exec");
  ASSERT_TRUE(readable(server_, 20s))
      << "no connection for the exec: " << exec->wait(1s).describe();
  connection_ = ::accept4(server_, nullptr, nullptr, SOCK_CLOEXEC);
  ASSERT_GE(connection_, 0);
  json state = receive_state();
  ASSERT_TRUE(state.is_object()) << state;
  ASSERT_GE(notify_fd_, 0) << "no fd with the exec's state";
  EXPECT_EQ(state["fds"], json({"seccompFd"})) << state;
  EXPECT_GT(state["pid"].get<int>(), 0) << state;
  EXPECT_NE(state["pid"].get<int>(), init_pid) << "the exec'd process's own pid: " << state;
  EXPECT_EQ(state["state"]["id"], id_) << state;
  EXPECT_EQ(state["state"]["pid"], init_pid) << state;
  EXPECT_EQ(state["state"]["status"], "running") << state;

  ASSERT_TRUE(readable(notify_fd_, 20s)) << "no notification: " << exec->wait(1s).describe();
  answer_getsid(notify_fd_, 78, 4343);
  CommandResult result = exec->wait(30s);
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  json seen = last_json_line(result.out);
  EXPECT_EQ(seen["seccomp"], 2) << seen;
  EXPECT_EQ(seen["results"]["getsid"]["ret"], 4343) << seen;
  EXPECT_EQ(seen["results"]["getpid"]["errno"], nullptr) << "not notified: " << seen;
}

TEST_F(SeccompTest, DefaultProfileBlocksTheEscapeRoutes) {
  json seen = probe_json([](json& c) {
    apply_profile(c, "default");
    c["process"]["args"] =
        probe_args({"syscalls", "mount", "umount2", "unshare:0", "setns:-1:0", "keyctl:0:-4",
                    "bpf:0xffff", "io_uring_setup", "fsopen", "open_tree:-1", "perf_event_open",
                    "open_by_handle_at:-1", "userfaultfd:0xdead0000", "clock_settime",
                    "personality:0x0400000", "clone3", "personality:0xffffffff", "getpid"});
  });
  ASSERT_TRUE(seen.is_object());
  EXPECT_EQ(seen["seccomp"], 2);
  for (const char* blocked :
       {"mount", "umount2", "unshare", "setns", "keyctl", "bpf", "io_uring_setup", "fsopen",
        "open_tree", "perf_event_open", "open_by_handle_at", "userfaultfd", "clock_settime"})
    EXPECT_EQ(errno_of(seen, blocked), "EPERM") << blocked << ": " << seen;
  // clone3 reports ENOSYS, so libc falls back to clone, whose namespace flags are filtered.
  EXPECT_EQ(errno_of(seen, "clone3"), "ENOSYS") << seen;
  EXPECT_EQ(errno_of(seen, "getpid"), nullptr) << seen;
}

// clone with CLONE_NEWUSER|CLONE_FS: the kernel alone says EINVAL (the pair is invalid), so
// EPERM is the filter's masked compare on the flags.
TEST_F(SeccompTest, DefaultProfileRefusesNamespaceFlagsOfClone) {
  json seen = probe_json([](json& c) {
    apply_profile(c, "default");
    c["process"]["args"] = probe_args({"syscalls", "clone:0x10000200"});
  });
  ASSERT_TRUE(seen.is_object());
  EXPECT_EQ(errno_of(seen, "clone"), "EPERM") << seen;
}

TEST_F(SeccompTest, DefaultProfileLeavesNoAdminPower) {
  json report = probe_report([](json& c) { apply_profile(c, "default"); });
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["seccomp"], 2);
  uint64_t effective =
      std::stoull(report["capabilities"]["CapEff"].get<std::string>(), nullptr, 16);
  EXPECT_EQ(effective & (1ULL << 21), 0u) << "CAP_SYS_ADMIN";
  EXPECT_EQ(effective & (1ULL << 13), 0u) << "CAP_NET_RAW";
  json sysrq = probe_json([](json& c) {
    apply_profile(c, "default");
    c["process"]["args"] = probe_args({"write", "/proc/sysrq-trigger", "h"});
  });
  EXPECT_EQ(sysrq["ok"], false) << sysrq;
  json kcore = probe_json([](json& c) {
    apply_profile(c, "default");
    c["process"]["args"] = probe_args({"read", "/proc/kcore"});
  });
  EXPECT_TRUE(kcore["ok"] == false || kcore["content"] == "") << "masked: " << kcore;
}

TEST_F(SeccompTest, DefaultProfileAllowsAShell) {
  write_config([](json& c) {
    apply_profile(c, "default");
    c["process"]["args"] = {"/bin/sh", "-c",
                            "mkdir /dev/shm/d && echo hi > /dev/shm/d/f && cat /dev/shm/d/f && "
                            "(sleep 0; echo child) | cat"};
  });
  CommandResult result = runtime({"run", "--bundle", bundle_, id_});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_NE(result.out.find("hi\nchild\n"), std::string::npos) << result.describe();
}

// In its user namespace, the dind profile lets a nested runtime mount and unshare, and still
// refuses what the namespace does not contain.
TEST_F(SeccompTest, DindProfileAllowsANestedRuntime) {
  json seen = probe_json([](json& c) {
    apply_profile(c, "dind");
    c["process"]["args"] =
        probe_args({"syscalls", "unshare:0", "mount", "fsopen", "open_tree:-1", "keyctl:0:-4",
                    "clone3", "open_by_handle_at:-1", "kexec_load:0:0:0:0xdead0000", "bpf:0xffff",
                    "clock_settime", "io_uring_setup", "getpid"});
  });
  ASSERT_TRUE(seen.is_object());
  EXPECT_EQ(seen["seccomp"], 2);
  EXPECT_EQ(errno_of(seen, "unshare"), nullptr) << seen;
  EXPECT_EQ(errno_of(seen, "keyctl"), nullptr) << seen;
  // Allowed: the kernel itself answers, about the NULL arguments.
  EXPECT_EQ(errno_of(seen, "mount"), "EFAULT") << seen;
  EXPECT_EQ(errno_of(seen, "fsopen"), "EFAULT") << seen;
  EXPECT_EQ(errno_of(seen, "open_tree"), "EFAULT") << seen;
  EXPECT_EQ(errno_of(seen, "clone3"), "EINVAL") << seen;
  for (const char* blocked :
       {"open_by_handle_at", "kexec_load", "bpf", "clock_settime", "io_uring_setup"})
    EXPECT_EQ(errno_of(seen, blocked), "EPERM") << blocked << ": " << seen;
}

TEST_F(SeccompTest, SpecWritesAProfile) {
  if (!runtime_is_burrow()) GTEST_SKIP() << "--profile is burrow's own spec option";
  std::string dir = work_ + "/profiled";
  ASSERT_EQ(runtime({"spec", "--bundle", work_}).exit_code, 0);  // the plain default, to compare
  json plain = json::parse(read_text(work_ + "/config.json"));
  ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0);
  CommandResult written = runtime({"spec", "--profile", "default", "--bundle", dir});
  ASSERT_EQ(written.exit_code, 0) << written.describe();
  json config = json::parse(read_text(dir + "/config.json"));
  EXPECT_EQ(config["linux"]["seccomp"]["defaultAction"], "SCMP_ACT_ERRNO");
  EXPECT_EQ(config["mounts"], plain["mounts"]) << "the rest is the default config";
  CommandResult unknown = runtime({"spec", "--profile", "frob", "--bundle", dir + "/x"});
  EXPECT_NE(unknown.exit_code, 0);
  // (logrus-style line: the quotes around the name come escaped)
  EXPECT_NE(unknown.err.find("(known: default, dind)"), std::string::npos) << unknown.describe();
}

INSTANTIATE_TEST_SUITE_P(NoNewPrivileges, SeccompAgent, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Set" : "Unset"; });

}  // namespace
}  // namespace integration
