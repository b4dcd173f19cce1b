// Issue 20, item 4: the profiles' argument-filtered rules must hold for 32-bit programs too. A
// 32-bit program, or a 64-bit one using `int $0x80`, enters the kernel through its i386 ABI,
// which seccomp sees as another architecture (AUDIT_ARCH_I386) with its own numbers and with the
// socketcall(2) multiplexer, whose arguments sit in memory the filter cannot read. Before the
// fix, socketcall(SYS_SOCKET) made AF_VSOCK sockets under default.json and dind.json (libseccomp
// allows that operation for any rule allowing socket(), without the rule's family condition),
// and so did x86_64's socket() with bits set above the int family (the filter compared all 64
// bits; the kernel reads 32). The probe makes the calls (`probe abi`, integration/probe/abi.hpp);
// without IA32 emulation the i386 tests skip, and tests/seccomp's profile tests check the
// compiled filter instead.
#include <string>
#include <vector>

#include "harness/container_test.hpp"
#include "harness/environment.hpp"

namespace integration {
namespace {

using nlohmann::json;

constexpr const char* kRuncSocketcall =
    "Debian's runc 1.1.5 (libseccomp 2.5.4) allows i386 socketcall(SYS_SOCKET) with any family "
    "under a profile that filters socket()'s family: libseccomp copies the socket rule to that "
    "operation without its condition, and AF_VSOCK sockets are made (burrow's multiplexer guard "
    "refuses it)";

class ProfileAbi : public ContainerTest, public ::testing::WithParamInterface<const char*> {
 protected:
  std::string profile() const { return GetParam(); }
  bool dind() const { return profile() == "dind"; }

  // `probe abi ABI CALL...` in a container with the profile; skips when the ABI is missing.
  json calls(const std::string& abi, const std::vector<std::string>& calls) {
    std::vector<std::string> args{"abi", abi};
    args.insert(args.end(), calls.begin(), calls.end());
    json seen = probe_json([&](json& c) {
      apply_profile(c, profile());
      c["process"]["args"] = probe_args(args);
    });
    if (!seen.is_object()) {
      ADD_FAILURE() << "no answer from the probe";
      return nullptr;
    }
    EXPECT_EQ(seen["seccomp"], 2) << seen;
    return seen;
  }
};

json errno_of(const json& seen, const std::string& call) {
  return seen["results"][call]["errno"];
}
json domain_of(const json& seen, const std::string& call) {
  return seen["results"][call]["domain"];
}

#define SKIP_WITHOUT(seen) \
  if ((seen)["available"] != true) GTEST_SKIP() << (seen)["abi"] << ": " << (seen)["why"]

// socketcall(SYS_SOCKET, [family, type, protocol]): the family cannot be checked, so the
// operation is refused whatever the family (the profiles' README weighs this against dropping
// the i386 ABI); the other operations keep working.
TEST_P(ProfileAbi, I386SocketcallMakesNoSocket) {
  if (!runtime_is_burrow()) GTEST_SKIP() << kRuncSocketcall;
  json seen = calls("i386", {"socketcall:1:40:1:0", "socketcall:1:1:1:0", "socketcall:8:1:1:0",
                             "socketcall:8:40:1:0", "socketcall:13:-1:2"});
  SKIP_WITHOUT(seen);
  EXPECT_EQ(errno_of(seen, "socketcall:1:40:1:0"), "EPERM") << "AF_VSOCK: " << seen;
  EXPECT_EQ(errno_of(seen, "socketcall:1:1:1:0"), "EPERM") << "AF_UNIX too: " << seen;
  // socketpair through socketcall: AF_UNIX works, and vsock has no socketpair at all.
  EXPECT_EQ(domain_of(seen, "socketcall:8:1:1:0"), 1) << seen;
  EXPECT_EQ(errno_of(seen, "socketcall:8:40:1:0"), "EOPNOTSUPP") << seen;
  EXPECT_EQ(errno_of(seen, "socketcall:13:-1:2"), "EBADF") << "shutdown(-1) reached the kernel";
}

// i386 socket(2) and socketpair(2), the direct calls (Linux 4.3): the family rule holds.
TEST_P(ProfileAbi, I386SocketKeepsTheFamilyRule) {
  json seen = calls("i386", {"socket:40:1", "socket:0x100000028:1", "socket:2:1", "socket:1:1",
                             "socketpair:1:1:0", "socketpair:40:1:0"});
  SKIP_WITHOUT(seen);
  EXPECT_EQ(errno_of(seen, "socket:40:1"), "EPERM") << seen;
  EXPECT_EQ(errno_of(seen, "socket:0x100000028:1"), "EPERM") << seen;
  EXPECT_EQ(domain_of(seen, "socket:2:1"), 2) << seen;
  EXPECT_EQ(domain_of(seen, "socket:1:1"), 1) << seen;
  EXPECT_EQ(domain_of(seen, "socketpair:1:1:0"), 1) << seen;
  EXPECT_EQ(errno_of(seen, "socketpair:40:1:0"), "EOPNOTSUPP") << seen;
}

// x86_64: the kernel reads socket()'s family as an int, so 0x100000028 is AF_VSOCK.
TEST_P(ProfileAbi, HighBitsDoNotHideTheFamily) {
  json seen =
      calls("x86_64", {"socket:0x100000028:1", "socket:40:1", "socket:0xffffffff00000001:1"});
  EXPECT_EQ(errno_of(seen, "socket:0x100000028:1"), "EPERM") << seen;
  EXPECT_EQ(errno_of(seen, "socket:40:1"), "EPERM") << seen;
  EXPECT_EQ(domain_of(seen, "socket:0xffffffff00000001:1"), 1)
      << "AF_UNIX, garbage above: " << seen;
}

// x32 shares AUDIT_ARCH_X86_64 with numbers carrying bit 0x40000000; the profiles list
// SCMP_ARCH_X32, so its calls meet the same rules. Where the kernel lacks the x32 ABI, the filter
// still answers first: EPERM is the filter, ENOSYS the kernel behind it.
TEST_P(ProfileAbi, X32CallsMeetTheSameRules) {
  json seen = calls("x32", {"socket:40:1", "socket:0x100000028:1", "socket:1:1", "clone:0x10000200",
                            "personality:0x400000"});
  EXPECT_EQ(errno_of(seen, "socket:40:1"), "EPERM") << seen;
  EXPECT_EQ(errno_of(seen, "socket:0x100000028:1"), "EPERM") << seen;
  if (seen["available"] == true)
    EXPECT_EQ(domain_of(seen, "socket:1:1"), 1) << seen;
  else
    EXPECT_EQ(errno_of(seen, "socket:1:1"), "ENOSYS") << "let through to the kernel: " << seen;
  // clone(CLONE_NEWUSER|CLONE_FS), which the kernel itself refuses with EINVAL.
  json let_through = seen["available"] == true ? json("EINVAL") : json("ENOSYS");
  EXPECT_EQ(errno_of(seen, "clone:0x10000200"), dind() ? let_through : json("EPERM")) << seen;
  EXPECT_EQ(errno_of(seen, "personality:0x400000"), "EPERM") << seen;
}

// The other argument-filtered rules, through the i386 entry: clone's namespace flags,
// personality, clone3's ENOSYS, and what default.json refuses outright.
TEST_P(ProfileAbi, I386CallsMeetTheSameRules) {
  json seen = calls("i386", {"clone:0x10000200", "personality:0x400000", "personality:0xffffffff",
                             "clone3", "unshare:0"});
  SKIP_WITHOUT(seen);
  EXPECT_EQ(errno_of(seen, "personality:0x400000"), "EPERM") << seen;
  EXPECT_EQ(errno_of(seen, "personality:0xffffffff"), nullptr) << "the query: " << seen;
  if (dind()) {
    EXPECT_EQ(errno_of(seen, "clone:0x10000200"), "EINVAL") << "the kernel's answer: " << seen;
    EXPECT_EQ(errno_of(seen, "clone3"), "EINVAL") << seen;
    EXPECT_EQ(errno_of(seen, "unshare:0"), nullptr) << seen;
  } else {
    EXPECT_EQ(errno_of(seen, "clone:0x10000200"), "EPERM") << seen;
    EXPECT_EQ(errno_of(seen, "clone3"), "ENOSYS") << "so libc falls back to clone: " << seen;
    EXPECT_EQ(errno_of(seen, "unshare:0"), "EPERM") << seen;
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, ProfileAbi, ::testing::Values("default", "dind"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace integration
