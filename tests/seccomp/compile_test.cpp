// compile(): flags, architectures, and errors that name the JSON path.
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "run_under_filter.hpp"
#include "seccomp/enosys_stub.hpp"
#include "seccomp/names.hpp"

namespace burrow::seccomp {
namespace {

using nlohmann::json;
using testing::compile_error;
using testing::compile_ok;
using testing::run_under;

json allow_with(json extra) {
  json config = {{"defaultAction", "SCMP_ACT_ALLOW"},
                 {"syscalls", {{{"names", {"getppid"}}, {"action", "SCMP_ACT_ERRNO"}}}}};
  config.update(extra);
  return config;
}

TEST(Compile, NoDefaultActionAndNoSyscallsIsNoFilter) {
  auto filter = compile(testing::seccomp_config(json::object()));
  ASSERT_TRUE(filter);
  EXPECT_FALSE(*filter);
}

TEST(Flags, AbsentMeansSpecAllowAsInRunc) {
  EXPECT_EQ(compile_ok(allow_with(json::object())).flags, unsigned{SECCOMP_FILTER_FLAG_SPEC_ALLOW});
  EXPECT_EQ(compile_ok(allow_with({{"flags", nullptr}})).flags,
            unsigned{SECCOMP_FILTER_FLAG_SPEC_ALLOW});
  EXPECT_EQ(compile_ok(allow_with({{"flags", json::array()}})).flags, 0u);
}

TEST(Flags, EachFlagReachesTheKernel) {
  Filter filter = compile_ok(allow_with({{"flags",
                                          {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                           "SECCOMP_FILTER_FLAG_SPEC_ALLOW"}}}));
  EXPECT_EQ(filter.flags, unsigned{SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG |
                                   SECCOMP_FILTER_FLAG_SPEC_ALLOW});
  // The kernel takes them: the filter loads and works.
  auto seen = run_under(filter, [] { return ::syscall(SYS_getppid); });
  EXPECT_EQ(seen.err, EPERM);
}

TEST(Flags, WaitKillableRecvNeedsAListener) {
  json config = allow_with({{"flags", {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}}});
  EXPECT_EQ(compile_ok(config).flags, 0u);  // dropped: nothing to wait for
  config["syscalls"][0]["action"] = "SCMP_ACT_NOTIFY";
  config["listenerPath"] = "/run/agent.sock";
  Filter filter = compile_ok(config);
  EXPECT_EQ(filter.flags,
            unsigned{SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV | SECCOMP_FILTER_FLAG_NEW_LISTENER});
  // libseccomp 2.5.4 cannot load this; we do, and the kernel accepts it.
  auto seen = run_under(filter, [] { return ::syscall(SYS_getuid); });
  EXPECT_TRUE(seen.reported);
}

TEST(Flags, TsyncWithAListenerAsksForEsrch) {
  json config = allow_with({{"flags", {"SECCOMP_FILTER_FLAG_TSYNC"}}, {"listenerPath", "/x"}});
  config["syscalls"][0]["action"] = "SCMP_ACT_NOTIFY";
  Filter filter = compile_ok(config);
  EXPECT_EQ(filter.flags, unsigned{SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_TSYNC_ESRCH |
                                   SECCOMP_FILTER_FLAG_NEW_LISTENER});
  EXPECT_TRUE(run_under(filter, [] { return ::syscall(SYS_getuid); }).reported);
}

TEST(Architectures, ExtraArchitecturesGrowTheProgram) {
  size_t native = compile_ok(allow_with(json::object())).program.size();
  Filter multi = compile_ok(
      allow_with({{"architectures", {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}}}));
  EXPECT_GT(multi.program.size(), native);
  EXPECT_EQ(run_under(multi, [] { return ::syscall(SYS_getppid); }).err, EPERM);
}

TEST(Names, TablesMatchTheSpec) {
  EXPECT_EQ(action_names().size(), 9u);
  EXPECT_EQ(operator_names().size(), 7u);
  EXPECT_EQ(flag_names().size(), 4u);
  EXPECT_TRUE(arch_from_name("SCMP_ARCH_LOONGARCH64"));  // known to the spec...
  auto archs = arch_names();                             // ...listed only if libseccomp has it
  EXPECT_NE(std::find(archs.begin(), archs.end(), "SCMP_ARCH_X86_64"), archs.end());
}

// runc's stub: above the last syscall the profile names, ENOSYS; at or below it, the default.
TEST(EnosysStub, SyscallsNewerThanTheProfileGetEnosys) {
  json config = {{"defaultAction", "SCMP_ACT_ERRNO"},
                 {"syscalls",
                  {{{"names", {"write", "exit_group", "exit", "rt_sigreturn", "getppid"}},
                    {"action", "SCMP_ACT_ALLOW"}}}}};
  Filter filter = compile_ok(config);  // exit_group (231) is the last named
  EXPECT_EQ(run_under(filter, [] { return ::syscall(SYS_getuid); }).err, EPERM);
  EXPECT_EQ(run_under(filter, [] { return ::syscall(SYS_fanotify_init, 0xdead0000, 0); }).err,
            ENOSYS);
  EXPECT_EQ(run_under(filter, [] { return ::syscall(SYS_getppid); }).ret, ::getpid());
}

TEST(EnosysStub, ChecksOnlyTheCallersArchitecture) {
  Filter filter;
  filter.program =
      enosys_stub({{SCMP_ARCH_X86, 20}, {SCMP_ARCH_X86_64, 100}, {SCMP_ARCH_X32, std::nullopt}});
  filter.program.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  EXPECT_GT(run_under(filter, [] { return ::syscall(SYS_getpid); }).ret, 0);       // 39
  EXPECT_EQ(run_under(filter, [] { return ::syscall(SYS_getuid); }).err, ENOSYS);  // 102
}

struct BadCase {
  const char* name;
  json config;
  const char* error;
};

class BadConfig : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadConfig, ErrorNamesTheJsonPath) {
  EXPECT_EQ(compile_error(GetParam().config), GetParam().error);
}

json with_rule(json rule, json extra = json::object()) {
  json config = {{"defaultAction", "SCMP_ACT_ALLOW"},
                 {"syscalls", {{{"names", {"read"}}, {"action", "SCMP_ACT_ALLOW"}}, rule}}};
  config.update(extra);
  return config;
}

INSTANTIATE_TEST_SUITE_P(
    Paths, BadConfig,
    ::testing::Values(
        BadCase{"DefaultActionUnknown",
                {{"defaultAction", "SCMP_ACT_FROB"}},
                "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_FROB\""},
        BadCase{"DefaultActionMissing",
                {{"syscalls", {{{"names", {"read"}}, {"action", "SCMP_ACT_ALLOW"}}}}},
                "linux.seccomp.defaultAction: required field is missing"},
        BadCase{"DefaultNotify",
                {{"defaultAction", "SCMP_ACT_NOTIFY"}},
                "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default action"},
        BadCase{"DefaultErrnoRetOnAllow",
                {{"defaultAction", "SCMP_ACT_ALLOW"}, {"defaultErrnoRet", 1}},
                "linux.seccomp.defaultErrnoRet: SCMP_ACT_ALLOW takes no errno (only "
                "SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)"},
        BadCase{"ActionUnknown", with_rule({{"names", {"read"}}, {"action", "SCMP_ACT_FOO"}}),
                "linux.seccomp.syscalls[1].action: unknown action \"SCMP_ACT_FOO\""},
        BadCase{"ErrnoRetOnKill",
                with_rule({{"names", {"read"}}, {"action", "SCMP_ACT_KILL"}, {"errnoRet", 1}}),
                "linux.seccomp.syscalls[1].errnoRet: SCMP_ACT_KILL takes no errno (only "
                "SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)"},
        BadCase{"ErrnoRetTooLarge",
                with_rule({{"names", {"read"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", 5000}}),
                "linux.seccomp.syscalls[1].errnoRet: 5000 is out of range [0, 4095]"},
        BadCase{"NamesEmpty", with_rule({{"names", json::array()}, {"action", "SCMP_ACT_ERRNO"}}),
                "linux.seccomp.syscalls[1].names: must name at least one syscall"},
        BadCase{"NameEmpty", with_rule({{"names", {"read", ""}}, {"action", "SCMP_ACT_ERRNO"}}),
                "linux.seccomp.syscalls[1].names[1]: empty string is not a valid syscall"},
        BadCase{"OperatorUnknown",
                with_rule({{"names", {"read"}},
                           {"action", "SCMP_ACT_ERRNO"},
                           {"args", {{{"index", 0}, {"value", 1}, {"op", "SCMP_CMP_FOO"}}}}}),
                "linux.seccomp.syscalls[1].args[0].op: unknown operator \"SCMP_CMP_FOO\""},
        BadCase{"ArgumentIndexTooLarge",
                with_rule({{"names", {"read"}},
                           {"action", "SCMP_ACT_ERRNO"},
                           {"args", {{{"index", 6}, {"value", 1}, {"op", "SCMP_CMP_EQ"}}}}}),
                "linux.seccomp.syscalls[1].args[0].index: 6 is out of range (a syscall has "
                "arguments 0-5)"},
        BadCase{"ArchitectureUnknown",
                {{"defaultAction", "SCMP_ACT_ALLOW"}, {"architectures", {"SCMP_ARCH_FROB"}}},
                "linux.seccomp.architectures[0]: unknown architecture \"SCMP_ARCH_FROB\""},
        BadCase{"ArchitectureLibseccompLacks",
                {{"defaultAction", "SCMP_ACT_ALLOW"},
                 {"architectures", {"SCMP_ARCH_X86", "SCMP_ARCH_M68K"}}},
                "linux.seccomp.architectures[1]: SCMP_ARCH_M68K is not supported by libseccomp "
                "2.5.4"},
        BadCase{"FlagUnknown",
                {{"defaultAction", "SCMP_ACT_ALLOW"}, {"flags", {"SECCOMP_FILTER_FLAG_FROB"}}},
                "linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_FROB\""},
        BadCase{"NotifyWithoutListenerPath",
                with_rule({{"names", {"getppid"}}, {"action", "SCMP_ACT_NOTIFY"}}),
                "linux.seccomp.listenerPath: seccomp listenerPath is not set"},
        BadCase{"NotifyOnSendmsg",
                with_rule({{"names", {"sendmsg"}}, {"action", "SCMP_ACT_NOTIFY"}},
                          {{"listenerPath", "/x"}}),
                "linux.seccomp.syscalls[1].names[0]: SCMP_ACT_NOTIFY cannot be used for the "
                "sendmsg syscall"},
        BadCase{"NotifyOnWrite",
                with_rule({{"names", {"getppid", "write"}}, {"action", "SCMP_ACT_NOTIFY"}},
                          {{"listenerPath", "/x"}}),
                "linux.seccomp.syscalls[1].names[1]: SCMP_ACT_NOTIFY cannot be used for the "
                "write syscall"},
        BadCase{"MetadataWithoutListenerPath",
                {{"defaultAction", "SCMP_ACT_ALLOW"}, {"listenerMetadata", "m"}},
                "linux.seccomp.listenerMetadata: must not be set without listenerPath"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace burrow::seccomp
