// profiles/*.json: they load, lay over the default config, compile, and block what
// profiles/README.md says they block (observed in a forked child under the filter).
#include <linux/sched.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <iostream>

#include <gtest/gtest.h>

#include "run_under_filter.hpp"
#include "spec/default_spec.hpp"
#include "spec/parse.hpp"
#include "spec/profiles.hpp"

namespace burrow::seccomp {
namespace {

using nlohmann::json;
using testing::Outcome;
using testing::run_under;

Filter profile_filter(const std::string& name) {
  auto config = spec::apply_profile(spec::default_config(false, 0, 0), name);
  EXPECT_TRUE(config) << config.error().message;
  auto parsed = spec::parse_config(*config);
  EXPECT_TRUE(parsed) << parsed.error().message;
  auto filter = compile(*parsed->linux->seccomp);
  EXPECT_TRUE(filter) << filter.error().message;
  return filter && *filter ? **filter : Filter{};
}

struct Call {
  const char* what;
  testing::SyscallBody body;
};

// Blocked: EPERM under the filter, while the same call without it is not refused with EPERM (an
// unprivileged test run, where the kernel says EPERM itself, cannot tell and skips that call).
void expect_blocked(const Filter& filter, const Call& call, int err = EPERM) {
  Outcome free_run = [&] {
    Outcome o;
    errno = 0;
    pid_t pid = ::fork();
    if (pid == 0) {
      long ret = call.body();
      ::_exit(ret == -1 && errno == EPERM ? 1 : 0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    o.err = WIFEXITED(status) && WEXITSTATUS(status) == 1 ? EPERM : 0;
    return o;
  }();
  if (free_run.err == EPERM && err == EPERM) {
    std::cout << "kernel refuses " << call.what << " here anyway; not checked\n";
    return;
  }
  Outcome seen = run_under(filter, call.body);
  EXPECT_EQ(seen.ret, -1) << call.what;
  EXPECT_EQ(seen.err, err) << call.what << ": " << std::strerror(seen.err);
}

void expect_allowed(const Filter& filter, const Call& call) {
  Outcome seen = run_under(filter, call.body);
  ASSERT_TRUE(seen.reported) << call.what;
  EXPECT_NE(seen.err, EPERM) << call.what;
}

TEST(Profiles, Names) {
  EXPECT_EQ(spec::profile_names(), (std::vector<std::string>{"default", "dind"}));
  auto unknown = spec::load_profile("frob");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "unknown profile \"frob\" (known: default, dind)");
}

TEST(Profiles, OverlayKeepsTheRestOfTheDefaultConfig) {
  json base = spec::default_config(false, 0, 0);
  json config = *spec::apply_profile(base, "default");
  EXPECT_EQ(config["mounts"], base["mounts"]);
  EXPECT_EQ(config["process"]["args"], base["process"]["args"]);
  EXPECT_EQ(config["linux"]["seccomp"]["defaultAction"], "SCMP_ACT_ERRNO");
  EXPECT_EQ(config["process"]["capabilities"]["bounding"].size(), 13u);
}

// Calls whose arguments make them harmless even when allowed (NULL pointers, invalid flags).
const Call kUnshareNone{"unshare(0)", [] { return ::syscall(SYS_unshare, 0); }};
const Call kMountNull{"mount(NULL)", [] { return ::syscall(SYS_mount, 0, 0, 0, 0, 0); }};
const Call kFsopenNull{"fsopen(NULL)", [] { return ::syscall(SYS_fsopen, 0, 0); }};
const Call kOpenTreeBad{"open_tree(-1)", [] { return ::syscall(SYS_open_tree, -1, 0, 0); }};
const Call kKeyctl{"keyctl(GET_KEYRING_ID)", [] { return ::syscall(SYS_keyctl, 0, -4, 0); }};
const Call kBpfBad{"bpf(bad cmd)", [] { return ::syscall(SYS_bpf, 0xffff, 0, 0); }};
const Call kIoUring{"io_uring_setup(0)", [] { return ::syscall(SYS_io_uring_setup, 0, 0); }};
const Call kClone3Null{"clone3(NULL)", [] { return ::syscall(SYS_clone3, 0, 0); }};
// CLONE_NEWUSER with CLONE_FS is refused by the kernel (EINVAL) after seccomp has looked.
const Call kCloneNewUser{"clone(NEWUSER|FS)",
                         [] { return ::syscall(SYS_clone, CLONE_NEWUSER | CLONE_FS, 0, 0, 0, 0); }};
const Call kKexecBadFlags{"kexec_load(bad flags)",
                          [] { return ::syscall(SYS_kexec_load, 0, 0, 0, 0xdead0000UL); }};
const Call kOpenByHandle{"open_by_handle_at(-1)",
                         [] { return ::syscall(SYS_open_by_handle_at, -1, 0, 0); }};
const Call kRebootBadMagic{"reboot(0)", [] { return ::syscall(SYS_reboot, 0, 0, 0, 0); }};
const Call kClockSetNull{"clock_settime(NULL)", [] { return ::syscall(SYS_clock_settime, 0, 0); }};
const Call kPersonalityQuery{"personality(query)",
                             [] { return ::syscall(SYS_personality, 0xffffffffUL); }};
const Call kPersonalityExec{"personality(READ_IMPLIES_EXEC)",
                            [] { return ::syscall(SYS_personality, 0x0400000UL); }};
const Call kVsock{"socket(AF_VSOCK)", [] { return ::syscall(SYS_socket, 40, SOCK_STREAM, 0); }};
const Call kUnixSocket{"socket(AF_UNIX)",
                       [] { return ::syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0); }};
const Call kUserfaultfd{"userfaultfd(bad flags)",
                        [] { return ::syscall(SYS_userfaultfd, 0xdead0000UL); }};

TEST(DefaultProfile, BlocksTheEscapeRoutes) {
  Filter filter = profile_filter("default");
  for (const Call& call : {kUnshareNone, kMountNull, kFsopenNull, kOpenTreeBad, kKeyctl, kBpfBad,
                           kIoUring, kCloneNewUser, kKexecBadFlags, kOpenByHandle, kRebootBadMagic,
                           kClockSetNull, kPersonalityExec, kVsock, kUserfaultfd})
    expect_blocked(filter, call);
  // clone3 says ENOSYS, so libc falls back to clone, whose namespace flags are checked.
  expect_blocked(filter, kClone3Null, ENOSYS);
}

TEST(DefaultProfile, AllowsOrdinaryWork) {
  Filter filter = profile_filter("default");
  for (const Call& call : {kPersonalityQuery, kUnixSocket}) expect_allowed(filter, call);
  Outcome forked = run_under(filter, [] {
    pid_t pid = ::fork();  // glibc: clone without namespace flags
    if (pid == 0) ::_exit(0);
    return static_cast<long>(pid > 0 ? 0 : -1);
  });
  EXPECT_EQ(forked.ret, 0);
}

// A syscall newer than the profile gets ENOSYS, so libc's fallbacks work (EPERM would stop
// them): listmount (458, Linux 6.8) is newer than anything libseccomp 2.5.4 can name. Without a
// filter, listmount(NULL) is EFAULT here.
TEST(DefaultProfile, NewerSyscallsGetEnosys) {
  Outcome seen = run_under(profile_filter("default"), [] { return ::syscall(458, 0, 0, 0, 0); });
  EXPECT_EQ(seen.err, ENOSYS);
}

TEST(DindProfile, AllowsWhatANestedRuntimeNeeds) {
  Filter filter = profile_filter("dind");
  for (const Call& call :
       {kUnshareNone, kMountNull, kFsopenNull, kOpenTreeBad, kKeyctl, kClone3Null, kCloneNewUser})
    expect_allowed(filter, call);
}

TEST(DindProfile, StillBlocksWhatTheUserNamespaceDoesNotContain) {
  Filter filter = profile_filter("dind");
  for (const Call& call : {kKexecBadFlags, kOpenByHandle, kRebootBadMagic, kClockSetNull, kBpfBad,
                           kIoUring, kPersonalityExec, kUserfaultfd})
    expect_blocked(filter, call);
}

}  // namespace
}  // namespace burrow::seccomp
