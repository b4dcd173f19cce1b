#include "cgroups/layout.hpp"

#include <gtest/gtest.h>

namespace burrow::cgroups {
namespace {

// This machine's mountinfo (hybrid) and /proc/self/cgroup, trimmed.
const char* kHybridMountinfo =
    "24 1 0:22 / / rw - ext4 /dev/vda rw\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
    "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices\n"
    "37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n"
    "99 24 0:29 / /mnt/other rw,relatime - cgroup cgroup rw,cpu\n";
const char* kHybridSelf =
    "9:name=systemd:/\n6:freezer:/\n5:devices:/\n4:memory:/process_api/abc\n3:cpuset:/\n"
    "2:cpuacct:/\n1:cpu:/\n0::/\n";

CgroupsContext ctx(const char* mountinfo, const char* self) {
  CgroupsContext c;
  c.mountinfo = mountinfo;
  c.self_cgroup = self;
  return c;
}

TEST(DetectLayout, Hybrid) {
  auto layout = detect_layout(ctx(kHybridMountinfo, kHybridSelf));
  ASSERT_TRUE(layout.ok()) << layout.error().message;
  EXPECT_EQ(layout->mode, Mode::hybrid);
  ASSERT_EQ(layout->hierarchies.size(), 8u);  // /mnt/other is outside the root
  EXPECT_EQ(layout->find("memory")->mount_point, "/sys/fs/cgroup/memory");
  EXPECT_EQ(layout->find("memory")->own_cgroup, "/process_api/abc");
  EXPECT_EQ(layout->find("name=systemd")->mount_point, "/sys/fs/cgroup/systemd");
  EXPECT_EQ(layout->find("name=systemd")->controllers, std::vector<std::string>{"name=systemd"});
  ASSERT_NE(layout->unified(), nullptr);
  EXPECT_EQ(layout->unified()->mount_point, "/sys/fs/cgroup/unified");
  EXPECT_EQ(layout->unified()->name(), "unified");
}

TEST(DetectLayout, PureV2) {
  auto layout = detect_layout(
      ctx("30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n", "0::/user.slice\n"));
  ASSERT_TRUE(layout.ok());
  EXPECT_EQ(layout->mode, Mode::unified);
  ASSERT_EQ(layout->hierarchies.size(), 1u);
  EXPECT_EQ(layout->hierarchies[0].own_cgroup, "/user.slice");
}

TEST(DetectLayout, PureV1WithJoinedControllersAndEscapes) {
  auto layout = detect_layout(
      ctx("32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
          "33 31 0:30 /ns /sys/fs/cgroup/a\\040b rw - cgroup cgroup rw,pids\n",
          "2:cpu,cpuacct:/x\n3:pids:/ns/y\n"));
  ASSERT_TRUE(layout.ok());
  EXPECT_EQ(layout->mode, Mode::legacy);
  ASSERT_EQ(layout->hierarchies.size(), 2u);
  EXPECT_EQ(layout->find("cpuacct")->name(), "cpu,cpuacct");
  EXPECT_EQ(layout->find("cpu")->own_cgroup, "/x");
  EXPECT_EQ(layout->find("pids")->mount_point, "/sys/fs/cgroup/a b");
  EXPECT_EQ(layout->find("pids")->mount_root, "/ns");
  EXPECT_EQ(*cgroup_dir(*layout->find("pids"), "c1"), "/sys/fs/cgroup/a b/y/c1");
}

TEST(DetectLayout, NothingMounted) {
  auto layout = detect_layout(ctx("24 1 0:22 / / rw - ext4 /dev/vda rw\n", ""));
  ASSERT_FALSE(layout.ok());
  EXPECT_EQ(layout.error().message, "no cgroup hierarchy mounted under /sys/fs/cgroup");
}

TEST(CleanPath, LikeRunc) {
  EXPECT_EQ(clean_path(""), "");
  EXPECT_EQ(clean_path("/a/../../b//c/."), "/b/c");
  EXPECT_EQ(clean_path("../../a/b"), "a/b");
  EXPECT_EQ(clean_path(".."), ".");
  EXPECT_EQ(clean_path("/.."), "/");
  EXPECT_EQ(clean_path("a/./b/"), "a/b");
}

TEST(ContainerInnerPath, DefaultIsIdAndRootIsRefused) {
  EXPECT_EQ(*container_inner_path("", "c1"), "c1");
  EXPECT_EQ(*container_inner_path("/abs/../../x/y", "c1"), "/x/y");
  EXPECT_EQ(*container_inner_path("../rel", "c1"), "rel");
  for (const char* p : {"/", "..", ".", "/a/.."}) {
    auto r = container_inner_path(p, "c1");
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.error().message,
              std::string("cgroupsPath \"") + p + "\" names no cgroup of its own");
  }
}

TEST(CgroupDir, AbsoluteFromMountRelativeFromOwnCgroup) {
  auto layout = *detect_layout(ctx(kHybridMountinfo, kHybridSelf));
  const Hierarchy& memory = *layout.find("memory");
  const Hierarchy& cpu = *layout.find("cpu");
  // As runc: an absolute path ignores the caller's own memory cgroup.
  EXPECT_EQ(*cgroup_dir(memory, "/x/y"), "/sys/fs/cgroup/memory/x/y");
  EXPECT_EQ(*cgroup_dir(memory, "t1"), "/sys/fs/cgroup/memory/process_api/abc/t1");
  EXPECT_EQ(*cgroup_dir(cpu, "t1"), "/sys/fs/cgroup/cpu/t1");
  EXPECT_EQ(*cgroup_dir(*layout.unified(), "t1"), "/sys/fs/cgroup/unified/t1");
}

// Where a process is, from its /proc/<pid>/cgroup (exec next to the init).
TEST(ProcessCgroupDir, FromProcCgroup) {
  auto layout = *detect_layout(ctx(kHybridMountinfo, kHybridSelf));
  const char* init = "4:memory:/c1/init\n1:cpu:/c1\n0::/c1/init\n";
  EXPECT_EQ(*process_cgroup_dir(*layout.find("memory"), init), "/sys/fs/cgroup/memory/c1/init");
  EXPECT_EQ(*process_cgroup_dir(*layout.unified(), init), "/sys/fs/cgroup/unified/c1/init");
  auto none = process_cgroup_dir(*layout.find("freezer"), init);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ENOENT);
  EXPECT_TRUE(is_same_or_below("/sys/fs/cgroup/unified/c1/init", "/sys/fs/cgroup/unified/c1"));
  EXPECT_TRUE(is_same_or_below("/sys/fs/cgroup/unified/c1", "/sys/fs/cgroup/unified/c1"));
  EXPECT_FALSE(is_same_or_below("/sys/fs/cgroup/unified/c10", "/sys/fs/cgroup/unified/c1"));
  EXPECT_FALSE(is_same_or_below("/sys/fs/cgroup/unified", "/sys/fs/cgroup/unified/c1"));
}

}  // namespace
}  // namespace burrow::cgroups
