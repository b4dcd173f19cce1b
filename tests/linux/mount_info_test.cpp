#include "linux/mount_info.hpp"

#include <gtest/gtest.h>

namespace burrow::linux {
namespace {

constexpr const char* kMountInfo =
    "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime unbindable - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 /docker /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev shared:7 master:2 - cgroup "
    "cgroup rw,cpu,cpuacct\n"
    "50 27 0:40 / /tmp/with\\040space ro,nosuid - tmpfs my\\134src rw\n"
    "garbage line\n";

TEST(MountInfo, ParsesFields) {
  auto mounts = parse_mount_info(kMountInfo);
  ASSERT_EQ(mounts.size(), 4u);
  EXPECT_EQ(mounts[0].id, 27);
  EXPECT_EQ(mounts[0].parent_id, 1);
  EXPECT_EQ(mounts[0].mount_point, "/");
  EXPECT_EQ(mounts[0].optional, "shared:1");
  EXPECT_TRUE(mounts[0].shared());
  EXPECT_EQ(mounts[0].fs_type, "ext4");
  EXPECT_EQ(mounts[0].source, "/dev/vda");
  EXPECT_EQ(mounts[0].super_options, "rw,discard");
  EXPECT_FALSE(mounts[1].shared());
  EXPECT_TRUE(mounts[1].unbindable());
  EXPECT_FALSE(mounts[0].unbindable());
  EXPECT_EQ(mounts[2].root, "/docker");
  EXPECT_EQ(mounts[2].optional, "shared:7 master:2");
  EXPECT_EQ(mounts[2].super_options, "rw,cpu,cpuacct");
  EXPECT_EQ(mounts[3].mount_point, "/tmp/with space");
  EXPECT_EQ(mounts[3].source, "my\\src");
  EXPECT_TRUE(mounts[3].has_mount_option("ro"));
  EXPECT_TRUE(mounts[3].has_mount_option("nosuid"));
  EXPECT_FALSE(mounts[3].has_mount_option("nosu"));
  EXPECT_FALSE(mounts[3].has_mount_option("rw"));
}

TEST(MountInfo, MountContaining) {
  auto mounts = parse_mount_info(kMountInfo);
  EXPECT_EQ(mount_containing(mounts, "/sys/fs/cgroup/memory")->id, 31);
  EXPECT_EQ(mount_containing(mounts, "/sys/fs/cgroup")->id, 31);
  EXPECT_EQ(mount_containing(mounts, "/sys/fs/cgroupx")->id, 27);
  EXPECT_EQ(mount_containing(mounts, "/tmp/with space/x")->id, 50);
  EXPECT_EQ(mount_containing({}, "/x"), nullptr);
}

}  // namespace
}  // namespace burrow::linux
