// The multiplexer guard (multiplexer_guard.hpp): argument conditions of a rule are not dropped on
// i386's socketcall and ipc, while a rule naming the multiplexer keeps its meaning. Checked by
// running the compiled BPF on made-up calls, so the host needs no IA32 emulation.
#include <errno.h>
#include <linux/audit.h>
#include <linux/net.h>
#include <seccomp.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include "evaluate_filter.hpp"
#include "run_under_filter.hpp"
#include "seccomp/multiplexer_guard.hpp"

namespace burrow::seccomp {
namespace {

using nlohmann::json;
using testing::compile_ok;
using testing::evaluate;

constexpr int kSocketcall = 102, kIpc = 117, kSocket = 359;  // i386 numbers
constexpr uint32_t kShmget = 23, kSemop = 1;                 // ipc(2) operations
constexpr uint32_t kAfVsock = 40;
constexpr uint32_t kAllow = SECCOMP_RET_ALLOW, kEperm = SECCOMP_RET_ERRNO | EPERM;

json rule(std::vector<std::string> names, json args = json::array(),
          const char* action = "SCMP_ACT_ALLOW") {
  json r = {{"names", names}, {"action", action}};
  if (!args.empty()) r["args"] = std::move(args);
  return r;
}
json arg(unsigned index, uint64_t value, const char* op) {
  return {{"index", index}, {"value", value}, {"op", op}};
}
// A few ordinary calls besides `rules`: close_range (436 on i386) keeps the ENOSYS stub away from
// socket (359), and without them libseccomp 2.5.4 miscompiles IpcOperationsToo's two rules (its
// i386 section compares the architecture with syscall numbers, so it refuses everything; the
// kernel agrees).
json allow_list(json rules) {
  rules.push_back(rule({"write", "exit_group", "close_range"}));
  return {{"defaultAction", "SCMP_ACT_ERRNO"},
          {"architectures", {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"}},
          {"syscalls", std::move(rules)}};
}
const json kSocketButVsock = rule({"socket"}, {arg(0, kAfVsock, "SCMP_CMP_NE")});

uint32_t i386(const Filter& filter, int nr, const std::vector<uint64_t>& args) {
  return evaluate(filter, AUDIT_ARCH_I386, nr, args);
}

TEST(MultiplexerGuard, SocketcallDoesNotWidenAFamilyCondition) {
  Filter filter = compile_ok(allow_list({kSocketButVsock}));
  EXPECT_EQ(i386(filter, kSocket, {kAfVsock}), kEperm);
  EXPECT_EQ(i386(filter, kSocket, {AF_INET}), kAllow);
  // libseccomp alone would allow socketcall(SYS_SOCKET, [AF_VSOCK, ...]): the family is in memory.
  EXPECT_EQ(i386(filter, kSocketcall, {SYS_SOCKET, 0x1000}), kEperm);
  EXPECT_EQ(i386(filter, kSocketcall, {SYS_CONNECT, 0x1000}), kEperm) << "never allowed";
}

TEST(MultiplexerGuard, ARuleForSocketcallDecidesItsOperations) {
  // Docker's profile allows socketcall outright: that choice stands (runc's behaviour).
  Filter outright = compile_ok(allow_list({kSocketButVsock, rule({"socketcall"})}));
  EXPECT_EQ(i386(outright, kSocketcall, {SYS_SOCKET, 0x1000}), kAllow);
  // Every operation but SYS_SOCKET: the guard takes SYS_SOCKET back from libseccomp's copy.
  Filter but_socket = compile_ok(
      allow_list({kSocketButVsock, rule({"socketcall"}, {arg(0, SYS_SOCKET, "SCMP_CMP_NE")})}));
  EXPECT_EQ(i386(but_socket, kSocketcall, {SYS_SOCKET, 0x1000}), kEperm);
  EXPECT_EQ(i386(but_socket, kSocketcall, {SYS_CONNECT, 0x1000}), kAllow);
  EXPECT_EQ(i386(but_socket, kSocketcall, {SYS_SOCKETPAIR, 0x1000}), kAllow);
  EXPECT_EQ(i386(but_socket, kSocket, {AF_UNIX}), kAllow);
}

TEST(MultiplexerGuard, AnUnconditionalRuleForTheCallWins) {
  Filter filter = compile_ok(allow_list({rule({"socket"}), kSocketButVsock}));
  EXPECT_EQ(i386(filter, kSocketcall, {SYS_SOCKET, 0x1000}), kAllow);
}

// A deny list keeps libseccomp's reading: its copy of a refusal refuses more, never less.
TEST(MultiplexerGuard, DenyListsAreLeftAlone) {
  Filter filter = compile_ok(
      {{"defaultAction", "SCMP_ACT_ALLOW"},
       {"architectures", {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"}},
       {"syscalls", {rule({"socket"}, {arg(0, kAfVsock, "SCMP_CMP_EQ")}, "SCMP_ACT_ERRNO")}}});
  EXPECT_EQ(i386(filter, kSocket, {AF_INET}), kAllow);
  EXPECT_EQ(i386(filter, kSocketcall, {SYS_SOCKET, 0x1000}), kEperm);
}

// ipc(2) reads its operation from the low 16 bits; the rest is a version.
TEST(MultiplexerGuard, IpcOperationsToo) {
  Filter filter =
      compile_ok(allow_list({rule({"semop"}), rule({"shmget"}, {arg(2, 0, "SCMP_CMP_EQ")})}));
  EXPECT_EQ(i386(filter, kIpc, {kShmget}), kEperm);
  EXPECT_EQ(i386(filter, kIpc, {kShmget | (1u << 16)}), kEperm);
  EXPECT_EQ(i386(filter, kIpc, {kSemop}), kAllow);
}

TEST(MultiplexerGuard, OnlyArchitecturesWithAMultiplexer) {
  MultiplexedRules rules;
  rules.conditional_allows = {"socket"};
  EXPECT_TRUE(multiplexer_guard(rules, {SCMP_ARCH_X86_64, SCMP_ARCH_X32}, kEperm).empty());
  EXPECT_FALSE(multiplexer_guard(rules, {SCMP_ARCH_X86}, kEperm).empty());
  EXPECT_TRUE(multiplexer_guard({}, {SCMP_ARCH_X86}, kEperm).empty());
}

TEST(MultiplexerGuard, CoversOperation) {
  auto cmp = [](unsigned index, scmp_compare op, uint64_t a, uint64_t b = 0) {
    return scmp_arg_cmp{index, op, a, b};
  };
  EXPECT_TRUE(covers_operation({}, SYS_SOCKET));
  EXPECT_FALSE(covers_operation({cmp(0, SCMP_CMP_NE, SYS_SOCKET)}, SYS_SOCKET));
  EXPECT_TRUE(covers_operation({cmp(0, SCMP_CMP_NE, SYS_SOCKET)}, SYS_CONNECT));
  EXPECT_TRUE(covers_operation({cmp(0, SCMP_CMP_GE, SYS_SOCKET)}, SYS_SOCKET));
  EXPECT_FALSE(covers_operation({cmp(0, SCMP_CMP_GT, SYS_SOCKET)}, SYS_SOCKET));
  EXPECT_TRUE(covers_operation({cmp(0, SCMP_CMP_MASKED_EQ, 0xff, SYS_SOCKET)}, SYS_SOCKET));
  EXPECT_TRUE(covers_operation({cmp(1, SCMP_CMP_EQ, 7)}, SYS_SOCKET)) << "other arguments: met";
}

}  // namespace
}  // namespace burrow::seccomp
