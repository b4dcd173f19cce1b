// Each action and operator, compiled and then observed in a forked child under the filter.
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <gtest/gtest.h>

#include "run_under_filter.hpp"

namespace burrow::seccomp {
namespace {

using nlohmann::json;
using testing::compile_ok;
using testing::run_under;

// getppid ignores its arguments, but the filter sees them: a harmless syscall whose argument
// values the tests choose.
long getppid_with(uint64_t a0, uint64_t a1 = 0) {
  return ::syscall(SYS_getppid, a0, a1);
}

json rule(const std::string& action, json extra = json::object()) {
  json r = {{"names", {"getppid"}}, {"action", action}};
  r.update(extra);
  return r;
}

json allow_all_but(const json& r) {
  return {{"defaultAction", "SCMP_ACT_ALLOW"}, {"syscalls", {r}}};
}

TEST(Actions, ErrnoDefaultsToEperm) {
  auto seen =
      run_under(compile_ok(allow_all_but(rule("SCMP_ACT_ERRNO"))), [] { return getppid_with(0); });
  ASSERT_TRUE(seen.reported);
  EXPECT_EQ(seen.ret, -1);
  EXPECT_EQ(seen.err, EPERM);
}

TEST(Actions, ErrnoRet) {
  auto filter = compile_ok(allow_all_but(rule("SCMP_ACT_ERRNO", {{"errnoRet", ENOTTY}})));
  auto seen = run_under(filter, [] { return getppid_with(0); });
  EXPECT_EQ(seen.ret, -1);
  EXPECT_EQ(seen.err, ENOTTY);
}

// errnoRet 0: the syscall "succeeds" with 0 without running (getppid never returns 0 here).
TEST(Actions, ErrnoRetZeroFakesSuccess) {
  auto filter = compile_ok(allow_all_but(rule("SCMP_ACT_ERRNO", {{"errnoRet", 0}})));
  EXPECT_EQ(run_under(filter, [] { return getppid_with(0); }).ret, 0);
}

TEST(Actions, AllowUnderAnErrnoDefault) {
  json config = {{"defaultAction", "SCMP_ACT_ERRNO"},
                 {"defaultErrnoRet", EACCES},
                 {"syscalls",
                  {{{"names", {"write", "exit_group", "exit", "getppid", "rt_sigreturn"}},
                    {"action", "SCMP_ACT_ALLOW"}}}}};
  Filter filter = compile_ok(config);
  auto allowed = run_under(filter, [] { return getppid_with(0); });
  EXPECT_EQ(allowed.ret, ::getpid());
  auto denied = run_under(filter, [] { return ::syscall(SYS_getuid); });
  EXPECT_EQ(denied.ret, -1);
  EXPECT_EQ(denied.err, EACCES);
}

TEST(Actions, KillIsKillThread) {
  for (const char* action : {"SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD"}) {
    auto seen = run_under(compile_ok(allow_all_but(rule(action))), [] { return getppid_with(0); });
    EXPECT_FALSE(seen.reported) << action;
    EXPECT_EQ(seen.killed_by, SIGSYS) << action;
    EXPECT_FALSE(seen.trapped) << action;
  }
}

TEST(Actions, KillProcess) {
  auto seen = run_under(compile_ok(allow_all_but(rule("SCMP_ACT_KILL_PROCESS"))),
                        [] { return getppid_with(0); });
  EXPECT_FALSE(seen.reported);
  EXPECT_EQ(seen.killed_by, SIGSYS);
}

TEST(Actions, TrapRaisesSigsys) {
  auto seen =
      run_under(compile_ok(allow_all_but(rule("SCMP_ACT_TRAP"))), [] { return getppid_with(0); });
  ASSERT_TRUE(seen.reported);
  EXPECT_TRUE(seen.trapped);
}

// No tracer attached: the kernel fails the syscall with ENOSYS.
TEST(Actions, TraceWithoutTracerIsEnosys) {
  auto seen = run_under(compile_ok(allow_all_but(rule("SCMP_ACT_TRACE", {{"errnoRet", 7}}))),
                        [] { return getppid_with(0); });
  EXPECT_EQ(seen.ret, -1);
  EXPECT_EQ(seen.err, ENOSYS);
}

TEST(Actions, LogAllows) {
  json config = {
      {"defaultAction", "SCMP_ACT_ERRNO"},
      {"syscalls",
       {{{"names", {"write", "exit_group", "exit", "rt_sigreturn"}}, {"action", "SCMP_ACT_ALLOW"}},
        rule("SCMP_ACT_LOG")}}};
  Filter filter = compile_ok(config);
  EXPECT_EQ(run_under(filter, [] { return getppid_with(0); }).ret, ::getpid());
  // The same program with getppid left to the default: so the LOG rule is what allowed it.
  config["syscalls"].erase(1);
  EXPECT_EQ(run_under(compile_ok(config), [] { return getppid_with(0); }).err, EPERM);
}

// The child sends its listener to us over a socketpair; we answer its notified getppid.
TEST(Actions, NotifyIsAnsweredByTheListener) {
  json config = allow_all_but(rule("SCMP_ACT_NOTIFY"));
  config["listenerPath"] = "/unused-in-this-test";
  Filter filter = compile_ok(config);
  ASSERT_TRUE(filter.listener);
  EXPECT_TRUE(filter.flags & SECCOMP_FILTER_FLAG_NEW_LISTENER);
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair), 0);
  int to_test = pair[1];
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pair[0]);
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) ::_exit(89);
    Fd listener = load(filter).value();
    char byte = 0;
    struct iovec iov = {&byte, 1};
    alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    struct msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    int fd = listener.get();
    std::memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    if (::sendmsg(to_test, &msg, 0) != 1) ::_exit(90);
    listener.reset();
    long answer = getppid_with(77);
    ::_exit(answer == 4242 ? 0 : 91);
  }
  ::close(pair[1]);
  char byte;
  struct iovec iov = {&byte, 1};
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  struct msghdr msg {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  ASSERT_EQ(::recvmsg(pair[0], &msg, MSG_CMSG_CLOEXEC), 1);
  int listener;
  std::memcpy(&listener, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
  struct seccomp_notif* request = nullptr;
  struct seccomp_notif_resp* response = nullptr;
  ASSERT_EQ(seccomp_notify_alloc(&request, &response), 0);
  ASSERT_EQ(seccomp_notify_receive(listener, request), 0);
  EXPECT_EQ(request->pid, static_cast<uint32_t>(pid));
  EXPECT_EQ(request->data.nr, SYS_getppid);
  EXPECT_EQ(request->data.args[0], 77u);
  response->id = request->id;
  response->val = 4242;
  response->error = 0;
  response->flags = 0;
  EXPECT_EQ(seccomp_notify_respond(listener, response), 0);
  seccomp_notify_free(request, response);
  ::close(listener);
  ::close(pair[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// Operators: a rule ERRNO(EDOM) on getppid when arg0 <op> value.
struct OperatorCase {
  const char* op;
  uint64_t value, value_two;
  uint64_t matches, misses;
};

class Operators : public ::testing::TestWithParam<OperatorCase> {};

TEST_P(Operators, BlockOnlyWhatMatches) {
  const OperatorCase& c = GetParam();
  json args = {{{"index", 0}, {"value", c.value}, {"valueTwo", c.value_two}, {"op", c.op}}};
  Filter filter =
      compile_ok(allow_all_but(rule("SCMP_ACT_ERRNO", {{"errnoRet", EDOM}, {"args", args}})));
  auto hit = run_under(filter, [&] { return getppid_with(c.matches); });
  EXPECT_EQ(hit.ret, -1) << c.op;
  EXPECT_EQ(hit.err, EDOM) << c.op;
  auto miss = run_under(filter, [&] { return getppid_with(c.misses); });
  EXPECT_EQ(miss.ret, ::getpid()) << c.op;
}

INSTANTIATE_TEST_SUITE_P(
    AllOperators, Operators,
    ::testing::Values(
        OperatorCase{"SCMP_CMP_EQ", 5, 0, 5, 6}, OperatorCase{"SCMP_CMP_NE", 5, 0, 6, 5},
        OperatorCase{"SCMP_CMP_LT", 5, 0, 4, 5}, OperatorCase{"SCMP_CMP_LE", 5, 0, 5, 6},
        OperatorCase{"SCMP_CMP_GT", 5, 0, 6, 5}, OperatorCase{"SCMP_CMP_GE", 5, 0, 5, 4},
        // 64-bit values compare whole.
        OperatorCase{"SCMP_CMP_EQ", 0x100000005ULL, 0, 0x100000005ULL, 5},
        // value is the mask, valueTwo what the masked argument must equal.
        OperatorCase{"SCMP_CMP_MASKED_EQ", 0xF0, 0x30, 0x35, 0x45}),
    [](const auto& info) { return std::string(info.param.op + 9) + std::to_string(info.index); });

// runc: conditions on different arguments are ANDed in one rule...
TEST(Conditions, DifferentArgumentsAreAnded) {
  json args = {{{"index", 0}, {"value", 1}, {"op", "SCMP_CMP_EQ"}},
               {{"index", 1}, {"value", 2}, {"op", "SCMP_CMP_EQ"}}};
  Filter filter = compile_ok(allow_all_but(rule("SCMP_ACT_ERRNO", {{"args", args}})));
  EXPECT_EQ(run_under(filter, [] { return getppid_with(1, 2); }).err, EPERM);
  EXPECT_EQ(run_under(filter, [] { return getppid_with(1, 3); }).ret, ::getpid());
  EXPECT_EQ(run_under(filter, [] { return getppid_with(0, 2); }).ret, ::getpid());
}

// ...but when two test the same argument, each becomes a rule of its own (ORed).
TEST(Conditions, SameArgumentTwiceIsOred) {
  json args = {{{"index", 0}, {"value", 1}, {"op", "SCMP_CMP_EQ"}},
               {{"index", 0}, {"value", 2}, {"op", "SCMP_CMP_EQ"}},
               {{"index", 1}, {"value", 9}, {"op", "SCMP_CMP_EQ"}}};
  Filter filter = compile_ok(allow_all_but(rule("SCMP_ACT_ERRNO", {{"args", args}})));
  EXPECT_EQ(run_under(filter, [] { return getppid_with(1); }).err, EPERM);
  EXPECT_EQ(run_under(filter, [] { return getppid_with(2); }).err, EPERM);
  EXPECT_EQ(run_under(filter, [] { return getppid_with(3, 9); }).err, EPERM);
  EXPECT_EQ(run_under(filter, [] { return getppid_with(3); }).ret, ::getpid());
}

TEST(Names, UnknownSyscallNamesAreSkipped) {
  json r = rule("SCMP_ACT_ERRNO");
  r["names"] = {"no_such_syscall_at_all", "getppid"};
  Filter filter = compile_ok(allow_all_but(r));
  EXPECT_EQ(run_under(filter, [] { return getppid_with(0); }).err, EPERM);
}

TEST(Names, RuleWithTheDefaultActionIsSkipped) {
  json config = {{"defaultAction", "SCMP_ACT_ALLOW"},
                 {"syscalls", {rule("SCMP_ACT_ALLOW"), rule("SCMP_ACT_ERRNO")}}};
  config["syscalls"][1]["names"] = {"getuid"};
  Filter filter = compile_ok(config);
  EXPECT_EQ(run_under(filter, [] { return getppid_with(0); }).ret, ::getpid());
  EXPECT_EQ(run_under(filter, [] { return ::syscall(SYS_getuid); }).err, EPERM);
}

}  // namespace
}  // namespace burrow::seccomp
