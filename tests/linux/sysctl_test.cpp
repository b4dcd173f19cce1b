#include "linux/sysctl.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace burrow::linux {
namespace {

TEST(Sysctl, KeyToProcPath) {
  EXPECT_EQ(sysctl_proc_path("net.ipv4.ip_forward"), "sys/net/ipv4/ip_forward");
  EXPECT_EQ(sysctl_proc_path("kernel.shmmax"), "sys/kernel/shmmax");
  // A key written with slashes keeps dots inside names (interface "eth0.100").
  EXPECT_EQ(sysctl_proc_path("net/ipv4/conf/eth0.100/forwarding"),
            "sys/net/ipv4/conf/eth0.100/forwarding");
}

TEST(Sysctl, UnknownKeyFailsWithTheKeyAndValue) {
  auto status = apply_sysctls({{"kernel.burrow_no_such_key", "1"}});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            "write sysctl kernel.burrow_no_such_key=1: No such file or directory");
  EXPECT_EQ(status.error().code, ENOENT);
}

TEST(Sysctl, KeyCannotLeaveProcSys) {
  // openat2 RESOLVE_BENEATH: ".." past /proc is refused before anything is opened.
  auto status = apply_sysctls({{"kernel/../../../etc/hostname", "x"}});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            "write sysctl kernel/../../../etc/hostname=x: /proc/sys/kernel/../../../etc/hostname "
            "leads out of /proc");
  EXPECT_EQ(status.error().code, EXDEV);
}

TEST(Sysctl, SymlinksInProcAreRefused) {
  // /proc/self is a symlink: RESOLVE_NO_SYMLINKS refuses it.
  auto fd = open_proc_file("self/status", O_RDONLY);
  ASSERT_FALSE(fd);
  EXPECT_EQ(fd.error().message, "open /proc/self/status: Too many levels of symbolic links");
  EXPECT_EQ(fd.error().code, ELOOP);
}

TEST(Sysctl, OpensAProcFile) {
  auto fd = open_proc_file("sys/kernel/cap_last_cap", O_RDONLY);
  ASSERT_TRUE(fd) << fd.error().message;
  char buf[8] = {};
  EXPECT_GT(::read(fd->get(), buf, sizeof(buf) - 1), 0);
}

TEST(Sysctl, NothingToApplyIsOk) {
  EXPECT_TRUE(apply_sysctls({}));
}

}  // namespace
}  // namespace burrow::linux
