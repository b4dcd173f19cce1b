#include "linux/mount_cgroup.hpp"

#include <gtest/gtest.h>
#include <sys/mount.h>

namespace burrow::linux {
namespace {

constexpr unsigned long kDefault = MS_NOSUID | MS_NODEV | MS_NOEXEC;

// The hybrid layout of the build machines, with a comount and odd options added.
constexpr const char* kHybrid =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
    "34 31 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup "
    "rw,xattr,release_agent=/x,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n"
    "42 1 0:39 / /elsewhere rw,relatime - cgroup cgroup rw,pids\n";

MountStep cgroup_step(unsigned long flags) {
  MountStep s;
  s.kind = MountKind::cgroup;
  s.destination = "/sys/fs/cgroup";
  s.type = "cgroup";
  s.flags = flags;
  return s;
}

TEST(MountCgroup, HierarchiesFromMountInfo) {
  auto h = cgroup_hierarchies(parse_mount_info(kHybrid));
  std::vector<CgroupHierarchy> want = {
      {"/sys/fs/cgroup/cpu,cpuacct", false, "cpu,cpuacct"},
      {"/sys/fs/cgroup/memory", false, "memory"},
      {"/sys/fs/cgroup/systemd", false, "name=systemd"},
      {"/sys/fs/cgroup/unified", true, ""},
  };
  EXPECT_EQ(h, want);
}

TEST(MountCgroup, HybridWithNamespaceMountsEachHierarchy) {
  RootfsConfig config;
  config.has_cgroup_namespace = true;
  auto h = cgroup_hierarchies(parse_mount_info(kHybrid));
  auto steps = expand_cgroup_mount(cgroup_step(MS_RDONLY), h, config);
  ASSERT_TRUE(steps.ok()) << steps.error().message;
  ASSERT_EQ(steps->size(), 8u);
  const auto& s = *steps;
  EXPECT_EQ(s[0].kind, MountKind::filesystem);
  EXPECT_EQ(s[0].type, "tmpfs");
  EXPECT_EQ(s[0].destination, "/sys/fs/cgroup");
  EXPECT_EQ(s[0].flags, kDefault);
  EXPECT_EQ(s[0].data, "mode=755");
  EXPECT_EQ(s[1].destination, "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(s[1].type, "cgroup");
  EXPECT_EQ(s[1].source, "cgroup");
  EXPECT_EQ(s[1].data, "cpu,cpuacct");
  EXPECT_EQ(s[1].flags, kDefault | MS_RDONLY);
  EXPECT_EQ(s[2].data, "memory");
  EXPECT_EQ(s[3].destination, "/sys/fs/cgroup/systemd");
  EXPECT_EQ(s[3].data, "name=systemd");
  EXPECT_EQ(s[4].destination, "/sys/fs/cgroup/unified");
  EXPECT_EQ(s[4].type, "cgroup2");
  EXPECT_EQ(s[4].data, "");
  EXPECT_EQ(s[5].kind, MountKind::symlink);
  EXPECT_EQ(s[5].destination, "/sys/fs/cgroup/cpu");
  EXPECT_EQ(s[5].source, "cpu,cpuacct");
  EXPECT_EQ(s[6].destination, "/sys/fs/cgroup/cpuacct");
  EXPECT_EQ(s[7].kind, MountKind::remount);
  EXPECT_EQ(s[7].remount_flags, kDefault | MS_RDONLY);
}

// Delegated: each hierarchy writable, the tmpfs holding them still read-only.
TEST(MountCgroup, DelegatedHierarchiesAreWritableUnderAReadOnlyTmpfs) {
  RootfsConfig config;
  config.has_cgroup_namespace = true;
  config.delegated_cgroup = true;
  auto h = cgroup_hierarchies(parse_mount_info(kHybrid));
  auto steps = expand_cgroup_mount(cgroup_step(0), h, config);
  ASSERT_TRUE(steps.ok()) << steps.error().message;
  ASSERT_EQ(steps->size(), 8u);
  const auto& s = *steps;
  for (size_t i = 1; i <= 4; ++i) EXPECT_EQ(s[i].flags, kDefault) << s[i].destination;
  EXPECT_EQ(s[7].kind, MountKind::remount);
  EXPECT_EQ(s[7].destination, "/sys/fs/cgroup");
  EXPECT_EQ(s[7].remount_flags, kDefault | MS_RDONLY);
}

TEST(MountCgroup, HybridWithoutNamespaceBindsContainerDirs) {
  RootfsConfig config;
  config.cgroup_dirs = {{"/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/cpu,cpuacct/c1"},
                        {"/sys/fs/cgroup/memory", "/sys/fs/cgroup/memory/c1"},
                        {"/sys/fs/cgroup/systemd", "/sys/fs/cgroup/systemd/c1"},
                        {"/sys/fs/cgroup/unified", "/sys/fs/cgroup/unified/c1"}};
  auto h = cgroup_hierarchies(parse_mount_info(kHybrid));
  auto steps = expand_cgroup_mount(cgroup_step(0), h, config);
  ASSERT_TRUE(steps.ok());
  ASSERT_EQ(steps->size(), 7u);  // rw: no final remount
  EXPECT_EQ((*steps)[2].kind, MountKind::bind);
  EXPECT_EQ((*steps)[2].source, "/sys/fs/cgroup/memory/c1");
  EXPECT_EQ((*steps)[2].destination, "/sys/fs/cgroup/memory");
  EXPECT_EQ((*steps)[2].flags, static_cast<unsigned long>(MS_BIND));
  EXPECT_EQ((*steps)[2].remount_flags, kDefault);
  config.cgroup_dirs.erase("/sys/fs/cgroup/memory");
  auto missing = expand_cgroup_mount(cgroup_step(0), h, config);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "cgroup /sys/fs/cgroup/memory: no cgroup dir of the container given");
}

TEST(MountCgroup, PureV2) {
  auto h = cgroup_hierarchies(
      parse_mount_info("30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n"));
  RootfsConfig config;
  config.has_cgroup_namespace = true;
  auto steps = expand_cgroup_mount(cgroup_step(MS_RDONLY), h, config);
  ASSERT_EQ(steps->size(), 1u);
  EXPECT_EQ((*steps)[0].kind, MountKind::filesystem);
  EXPECT_EQ((*steps)[0].type, "cgroup2");
  EXPECT_EQ((*steps)[0].flags, static_cast<unsigned long>(MS_RDONLY));
  config.has_cgroup_namespace = false;
  config.cgroup_dirs = {{"/sys/fs/cgroup", "/sys/fs/cgroup/c1"}};
  steps = expand_cgroup_mount(cgroup_step(MS_RDONLY), h, config);
  EXPECT_EQ((*steps)[0].kind, MountKind::bind);
  EXPECT_EQ((*steps)[0].source, "/sys/fs/cgroup/c1");
  EXPECT_EQ((*steps)[0].remount_flags, kDefault | MS_RDONLY);
}

TEST(MountCgroup, NoHierarchies) {
  auto steps = expand_cgroup_mount(cgroup_step(0), {}, RootfsConfig{});
  ASSERT_FALSE(steps.ok());
  EXPECT_EQ(steps.error().message, "no cgroup hierarchies mounted on the host");
}

}  // namespace
}  // namespace burrow::linux
