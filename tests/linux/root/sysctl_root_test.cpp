// apply_sysctls in a forked child that has its own network namespace, so the host's
// net.ipv4.ip_forward is never touched.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <fstream>

#include "../process_attrs_child.hpp"
#include "linux/sysctl.hpp"

namespace burrow::linux {
namespace {

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

TEST(SysctlRoot, WritesInANewNetworkNamespace) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (unshare CLONE_NEWNET)";
  auto result = test::run_in_child([]() -> std::string {
    if (::unshare(CLONE_NEWNET) < 0) return "unshare failed";
    std::string out = read_first_line("/proc/sys/net/ipv4/ip_forward") + " ";
    auto st = apply_sysctls({{"net.ipv4.ip_forward", "1"}, {"net.ipv4.ip_default_ttl", "42"}});
    if (!st) return st.error().message;
    return out + read_first_line("/proc/sys/net/ipv4/ip_forward") + " " +
           read_first_line("/proc/sys/net/ipv4/ip_default_ttl");
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report, "0 1 42");
}

TEST(SysctlRoot, KernelRejectsABadValue) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (unshare CLONE_NEWNET)";
  auto result = test::run_in_child([]() -> std::string {
    if (::unshare(CLONE_NEWNET) < 0) return "unshare failed";
    auto st = apply_sysctls({{"net.ipv4.ip_default_ttl", "0"}});
    return st ? "accepted" : st.error().message;
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report, "write sysctl net.ipv4.ip_default_ttl=0: Invalid argument");
}

TEST(SysctlRoot, RefusesAProcThatIsNotProcfs) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (mount namespace, tmpfs over /proc)";
  auto result = test::run_in_child([]() -> std::string {
    if (::unshare(CLONE_NEWNS) < 0) return "unshare failed";
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) return "private failed";
    if (::mount("tmpfs", "/proc", "tmpfs", 0, nullptr) < 0) return "mount failed";
    auto st = apply_sysctls({{"net.ipv4.ip_forward", "1"}});
    return st ? "accepted" : st.error().message;
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report, "write sysctl net.ipv4.ip_forward=1: /proc is not a procfs mount");
}

// CVE-2025-52881 class: /proc is procfs, but something else is mounted inside it. The write must
// not land in that filesystem's file.
TEST(SysctlRoot, RefusesAMountOverProcSys) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (mount and network namespaces)";
  auto result = test::run_in_child([]() -> std::string {
    if (::unshare(CLONE_NEWNS | CLONE_NEWNET) < 0) return "unshare failed";
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) return "private failed";
    if (::mount("tmpfs", "/proc/sys/net/ipv4", "tmpfs", 0, nullptr) < 0) return "mount failed";
    { std::ofstream("/proc/sys/net/ipv4/ip_forward") << "0\n"; }
    auto st = apply_sysctls({{"net.ipv4.ip_forward", "1"}});
    return (st ? "accepted" : st.error().message) + " / " +
           read_first_line("/proc/sys/net/ipv4/ip_forward");
  });
  ASSERT_TRUE(result.exited_cleanly()) << result.report;
  EXPECT_EQ(result.report,
            "write sysctl net.ipv4.ip_forward=1: /proc/sys/net/ipv4/ip_forward: something other "
            "than procfs is mounted on the way / 0");
}

}  // namespace
}  // namespace burrow::linux
