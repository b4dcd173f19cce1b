// profiles/*.json: they load, lay over the default config, compile, and block what
// profiles/README.md says they block (observed in a forked child under the filter, and for the
// 32-bit ABIs also on the compiled BPF, which needs no IA32 emulation).
#include <linux/audit.h>
#include <linux/net.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <iostream>

#include <gtest/gtest.h>

#include "evaluate_filter.hpp"
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

// --- The 32-bit ABIs (profiles/README.md, "32-bit programs") ---

constexpr uint32_t kAllowed = SECCOMP_RET_ALLOW, kRefused = SECCOMP_RET_ERRNO | EPERM;
constexpr uint32_t kEnosys = SECCOMP_RET_ERRNO | ENOSYS;
constexpr uint64_t kAfVsock = 40;
constexpr uint64_t kHighBits = 0x100000000;  // set above an int argument: the kernel ignores them
constexpr int kX32 = 0x40000000;             // x32 calls: x86_64 arch, numbers with this bit
// i386 numbers (arch/x86/entry/syscalls/syscall_32.tbl)
constexpr int kI386Socketcall = 102, kI386Socket = 359, kI386Clone = 120, kI386Personality = 136,
              kI386Clone3 = 435, kI386Unshare = 310;

struct AbiCall {
  const char* what;
  uint32_t arch;
  int nr;
  std::vector<uint64_t> args;
  uint32_t default_profile;  // the expected answer under default.json
  uint32_t dind_profile;     // under dind.json
};

// socketcall's second argument points at the real arguments, which the filter cannot read.
const AbiCall kAbiCalls[] = {
    {"i386 socketcall(SYS_SOCKET)",
     AUDIT_ARCH_I386,
     kI386Socketcall,
     {SYS_SOCKET, 0x1000},
     kRefused,
     kRefused},
    {"i386 socketcall(SYS_CONNECT)",
     AUDIT_ARCH_I386,
     kI386Socketcall,
     {SYS_CONNECT, 0x1000},
     kAllowed,
     kAllowed},
    {"i386 socketcall(SYS_SOCKETPAIR)",
     AUDIT_ARCH_I386,
     kI386Socketcall,
     {SYS_SOCKETPAIR, 0x1000},
     kAllowed,
     kAllowed},
    {"i386 socketcall(SYS_SENDMMSG)",
     AUDIT_ARCH_I386,
     kI386Socketcall,
     {SYS_SENDMMSG, 0x1000},
     kAllowed,
     kAllowed},
    {"i386 socket(AF_VSOCK)",
     AUDIT_ARCH_I386,
     kI386Socket,
     {kAfVsock, SOCK_STREAM},
     kRefused,
     kRefused},
    {"i386 socket(AF_VSOCK + high bits)",
     AUDIT_ARCH_I386,
     kI386Socket,
     {kHighBits | kAfVsock, SOCK_STREAM},
     kRefused,
     kRefused},
    {"i386 socket(AF_INET)",
     AUDIT_ARCH_I386,
     kI386Socket,
     {AF_INET, SOCK_STREAM},
     kAllowed,
     kAllowed},
    {"x86_64 socket(AF_VSOCK)",
     AUDIT_ARCH_X86_64,
     SYS_socket,
     {kAfVsock, SOCK_STREAM},
     kRefused,
     kRefused},
    {"x86_64 socket(AF_VSOCK + high bits)",
     AUDIT_ARCH_X86_64,
     SYS_socket,
     {kHighBits | kAfVsock, SOCK_STREAM},
     kRefused,
     kRefused},
    {"x86_64 socket(AF_UNIX + high bits)",
     AUDIT_ARCH_X86_64,
     SYS_socket,
     {0xffffffff00000000 | AF_UNIX, SOCK_STREAM},
     kAllowed,
     kAllowed},
    {"x86_64 socket(AF_MCTP)", AUDIT_ARCH_X86_64, SYS_socket, {45, SOCK_DGRAM}, kAllowed, kAllowed},
    {"x32 socket(AF_VSOCK)",
     AUDIT_ARCH_X86_64,
     kX32 | SYS_socket,
     {kAfVsock, SOCK_STREAM},
     kRefused,
     kRefused},
    {"x32 socket(AF_VSOCK + high bits)",
     AUDIT_ARCH_X86_64,
     kX32 | SYS_socket,
     {kHighBits | kAfVsock, SOCK_STREAM},
     kRefused,
     kRefused},
    {"x32 socket(AF_INET)",
     AUDIT_ARCH_X86_64,
     kX32 | SYS_socket,
     {AF_INET, SOCK_STREAM},
     kAllowed,
     kAllowed},
    {"i386 clone(CLONE_NEWUSER)",
     AUDIT_ARCH_I386,
     kI386Clone,
     {CLONE_NEWUSER | SIGCHLD},
     kRefused,
     kAllowed},
    {"i386 clone(SIGCHLD)", AUDIT_ARCH_I386, kI386Clone, {SIGCHLD}, kAllowed, kAllowed},
    {"x32 clone(CLONE_NEWUSER)",
     AUDIT_ARCH_X86_64,
     kX32 | SYS_clone,
     {CLONE_NEWUSER | SIGCHLD},
     kRefused,
     kAllowed},
    {"i386 clone3", AUDIT_ARCH_I386, kI386Clone3, {0, 0}, kEnosys, kAllowed},
    {"i386 unshare(0)", AUDIT_ARCH_I386, kI386Unshare, {0}, kRefused, kAllowed},
    {"i386 personality(READ_IMPLIES_EXEC)",
     AUDIT_ARCH_I386,
     kI386Personality,
     {0x0400000},
     kRefused,
     kRefused},
    {"i386 personality(query)",
     AUDIT_ARCH_I386,
     kI386Personality,
     {0xffffffff},
     kAllowed,
     kAllowed},
};

TEST(Profiles, ThirtyTwoBitCallsMeetTheSameRules) {
  for (const char* profile : {"default", "dind"}) {
    Filter filter = profile_filter(profile);
    bool dind = std::string(profile) == "dind";
    for (const AbiCall& call : kAbiCalls) {
      EXPECT_EQ(testing::evaluate(filter, call.arch, call.nr, call.args),
                dind ? call.dind_profile : call.default_profile)
          << profile << ": " << call.what;
    }
  }
}

// The kernel reads socket()'s family as an int; a filter comparing all 64 bits let
// 0x100000028 through as AF_VSOCK.
TEST(Profiles, HighBitsDoNotHideAFamily) {
  const Call vsock_high{"socket(0x100000028)",
                        [] { return ::syscall(SYS_socket, kHighBits | kAfVsock, SOCK_STREAM, 0); }};
  const Call unix_high{"socket(0x100000001)", [] {
                         long fd = ::syscall(SYS_socket, kHighBits | AF_UNIX, SOCK_STREAM, 0);
                         return fd < 0 ? fd : 0;
                       }};
  for (const char* profile : {"default", "dind"}) {
    Filter filter = profile_filter(profile);
    expect_blocked(filter, vsock_high);
    expect_allowed(filter, unix_high);
  }
}

// The same through the kernel's i386 entry: `int $0x80` from this 64-bit process, which seccomp
// sees as AUDIT_ARCH_I386. Needs IA32 emulation (CONFIG_IA32_EMULATION, not ia32_emulation=0).
long int80(long nr, long a = 0, long b = 0, long c = 0, long d = 0) {
  long ret = 0;
  __asm__ volatile("int $0x80"
                   : "=a"(ret)
                   : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d)
                   : "memory", "r8", "r9", "r10", "r11");
  int value = static_cast<int>(ret);
  if (value < 0 && value > -4096) {
    errno = -value;
    return -1;
  }
  return value;
}

bool has_ia32_emulation() {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(int80(20) == ::getpid() ? 0 : 1);  // getpid
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// socketcall(call, args) with the arguments where a 32-bit pointer reaches them.
long i386_socketcall(int call, std::vector<uint32_t> args) {
  void* low =
      ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
  if (low == MAP_FAILED) return -2;
  std::memcpy(low, args.data(), args.size() * sizeof(uint32_t));
  return int80(kI386Socketcall, call, reinterpret_cast<long>(low));
}

TEST(Profiles, ThirtyTwoBitSocketsThroughTheKernel) {
  if (!has_ia32_emulation())
    GTEST_SKIP() << "no IA32 emulation here (`int $0x80` faults); "
                    "ThirtyTwoBitCallsMeetTheSameRules checks the compiled filter instead";
  const Call socketcall_vsock{"i386 socketcall(SYS_SOCKET, AF_VSOCK)", [] {
                                return i386_socketcall(SYS_SOCKET, {40, SOCK_STREAM, 0});
                              }};
  const Call socketcall_unix{"i386 socketcall(SYS_SOCKET, AF_UNIX)", [] {
                               return i386_socketcall(SYS_SOCKET, {AF_UNIX, SOCK_STREAM, 0});
                             }};
  const Call socket_vsock{"i386 socket(AF_VSOCK)",
                          [] { return int80(kI386Socket, 40, SOCK_STREAM, 0); }};
  const Call socket_inet{"i386 socket(AF_INET)", [] {
                           long fd = int80(kI386Socket, AF_INET, SOCK_STREAM, 0);
                           return fd < 0 ? fd : 0;
                         }};
  // socketcall's other operations still work: here one that fails on a bad fd.
  const Call socketcall_shutdown{"i386 socketcall(SYS_SHUTDOWN, -1)", [] {
                                   return i386_socketcall(SYS_SHUTDOWN, {0xffffffff, SHUT_RDWR});
                                 }};
  for (const char* profile : {"default", "dind"}) {
    Filter filter = profile_filter(profile);
    for (const Call& call : {socketcall_vsock, socketcall_unix, socket_vsock})
      expect_blocked(filter, call);
    expect_allowed(filter, socket_inet);
    Outcome shutdown = run_under(filter, socketcall_shutdown.body);
    EXPECT_EQ(shutdown.err, EBADF) << profile << ": " << socketcall_shutdown.what;
  }
}

}  // namespace
}  // namespace burrow::seccomp
