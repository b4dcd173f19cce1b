// The eBPF device filter loaded and attached for real: a cgroup in this host's cgroup2 (the
// hybrid "unified" mount works too), a child in it that may open /dev/null but not /dev/zero.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "base/file.hpp"
#include "cgroups/device_filter.hpp"
#include "cgroups/fs_ops.hpp"

namespace burrow::cgroups {
namespace {

std::string cgroup2_mount() {
  for (const char* dir : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
    struct statfs st {};
    if (::statfs(dir, &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC) return dir;
  }
  return "";
}

TEST(DeviceFilterRoot, AttachedFilterDecidesOpens) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  std::string mount = cgroup2_mount();
  if (mount.empty()) GTEST_SKIP() << "no cgroup2 mounted";
  std::string dir = mount + "/burrow-devfilter-" + std::to_string(::getpid());
  ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0) << strerror(errno);
  CgroupsContext ctx;
  std::vector<DeviceCgroupRule> rules = {{false, 'a', kWildcard, kWildcard, "rwm"},
                                         {true, 'c', 1, 3, "rw"}};
  auto attached = attach_device_filter(ctx, dir, rules);
  ASSERT_TRUE(attached.ok()) << attached.error().message;
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    char go;
    if (::read(pipefd[0], &go, 1) != 1) ::_exit(10);
    int null_fd = ::open("/dev/null", O_RDWR);
    int zero_fd = ::open("/dev/zero", O_RDONLY);
    int zero_errno = errno;
    ::_exit(null_fd >= 0 && zero_fd < 0 && zero_errno == EPERM ? 0 : 1);
  }
  auto moved = file::write(dir + "/cgroup.procs", std::to_string(child));
  EXPECT_TRUE(moved.ok()) << moved.error().message;
  ASSERT_EQ(::write(pipefd[1], "x", 1), 1);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the child could not open /dev/null, or could open /dev/zero (status " << status << ")";
  ::close(pipefd[0]);
  ::close(pipefd[1]);
  EXPECT_EQ(::rmdir(dir.c_str()), 0) << strerror(errno);
}

}  // namespace
}  // namespace burrow::cgroups
