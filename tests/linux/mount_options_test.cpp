#include "linux/mount_options.hpp"

#include <gtest/gtest.h>
#include <sys/mount.h>

namespace burrow::linux {
namespace {

unsigned long flags_of(std::vector<std::string> options) {
  return parse_mount_options(options).flags;
}

TEST(MountOptions, EachFlagOption) {
  EXPECT_EQ(flags_of({"ro"}), MS_RDONLY);
  EXPECT_EQ(flags_of({"nosuid"}), MS_NOSUID);
  EXPECT_EQ(flags_of({"nodev"}), MS_NODEV);
  EXPECT_EQ(flags_of({"noexec"}), MS_NOEXEC);
  EXPECT_EQ(flags_of({"sync"}), MS_SYNCHRONOUS);
  EXPECT_EQ(flags_of({"dirsync"}), MS_DIRSYNC);
  EXPECT_EQ(flags_of({"mand"}), MS_MANDLOCK);
  EXPECT_EQ(flags_of({"noatime"}), MS_NOATIME);
  EXPECT_EQ(flags_of({"nodiratime"}), MS_NODIRATIME);
  EXPECT_EQ(flags_of({"relatime"}), MS_RELATIME);
  EXPECT_EQ(flags_of({"strictatime"}), MS_STRICTATIME);
  EXPECT_EQ(flags_of({"norelatime"}), MS_STRICTATIME);
  EXPECT_EQ(flags_of({"bind"}), MS_BIND);
  EXPECT_EQ(flags_of({"rbind"}), MS_BIND | MS_REC);
  EXPECT_EQ(flags_of({"remount"}), MS_REMOUNT);
  EXPECT_EQ(flags_of({"iversion"}), MS_I_VERSION);
  EXPECT_EQ(flags_of({"lazytime"}), MS_LAZYTIME);
  EXPECT_EQ(flags_of({"silent"}), MS_SILENT);
  EXPECT_EQ(flags_of({"nosymfollow"}), MS_NOSYMFOLLOW);
  EXPECT_EQ(flags_of({"defaults"}), 0UL);
}

TEST(MountOptions, LaterOptionsWin) {
  EXPECT_EQ(flags_of({"ro", "rw"}), 0UL);
  EXPECT_EQ(flags_of({"rw", "ro"}), MS_RDONLY);
  EXPECT_EQ(flags_of({"nosuid", "suid", "nodev", "dev", "noexec", "exec"}), 0UL);
  EXPECT_EQ(flags_of({"sync", "async", "mand", "nomand", "nodiratime", "diratime"}), 0UL);
  EXPECT_EQ(flags_of({"noatime", "atime"}), 0UL);
  EXPECT_EQ(flags_of({"noatime", "strictatime"}), MS_STRICTATIME);
  EXPECT_EQ(flags_of({"strictatime", "nostrictatime"}), 0UL);
  EXPECT_EQ(flags_of({"noatime", "relatime", "nodiratime"}), MS_RELATIME | MS_NODIRATIME);
}

TEST(MountOptions, TypicalSpecMount) {
  MountOptions o = parse_mount_options({"nosuid", "strictatime", "mode=755", "size=65536k"});
  EXPECT_EQ(o.flags, MS_NOSUID | MS_STRICTATIME);
  EXPECT_EQ(o.data, "mode=755,size=65536k");
  EXPECT_TRUE(o.propagation.empty());
  EXPECT_TRUE(o.recursive.empty());
}

TEST(MountOptions, UnknownOptionsBecomeDataInOrder) {
  MountOptions o = parse_mount_options(
      {"newinstance", "ro", "ptmxmode=0666", "mode=0620", "gid=5", "tmpcopyup"});
  EXPECT_EQ(o.flags, MS_RDONLY);
  EXPECT_EQ(o.data, "newinstance,ptmxmode=0666,mode=0620,gid=5,tmpcopyup");
}

TEST(MountOptions, PropagationIsSeparateSteps) {
  MountOptions o = parse_mount_options({"rbind", "rprivate", "shared", "rshared", "private",
                                        "slave", "rslave", "unbindable", "runbindable"});
  EXPECT_EQ(o.flags, MS_BIND | MS_REC);
  std::vector<unsigned long> want = {
      MS_REC | MS_PRIVATE, MS_SHARED,     MS_REC | MS_SHARED,    MS_PRIVATE, MS_SLAVE,
      MS_REC | MS_SLAVE,   MS_UNBINDABLE, MS_REC | MS_UNBINDABLE};
  EXPECT_EQ(o.propagation, want);
  EXPECT_EQ(o.data, "");
}

TEST(MountOptions, PropagationFlagsByName) {
  EXPECT_EQ(propagation_flags("rslave"), MS_REC | MS_SLAVE);
  EXPECT_EQ(propagation_flags("private"), MS_PRIVATE);
  EXPECT_EQ(propagation_flags("rw"), 0UL);
  EXPECT_EQ(propagation_flags(""), 0UL);
}

TEST(MountOptions, RecursiveAttributes) {
  MountOptions o =
      parse_mount_options({"rro", "rnosuid", "rnodev", "rnoexec", "rnosymfollow", "rnodiratime"});
  EXPECT_EQ(o.flags, 0UL);
  EXPECT_EQ(o.recursive.set, static_cast<uint64_t>(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
                                                   MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
                                                   MOUNT_ATTR_NOSYMFOLLOW | MOUNT_ATTR_NODIRATIME));
  EXPECT_EQ(o.recursive.clear, 0u);
  EXPECT_EQ(o.data, "");
}

TEST(MountOptions, RecursiveClearAndAtime) {
  MountOptions o =
      parse_mount_options({"rrw", "rsuid", "rdev", "rexec", "rdiratime", "rsymfollow"});
  EXPECT_EQ(o.recursive.set, 0u);
  EXPECT_EQ(
      o.recursive.clear,
      static_cast<uint64_t>(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                            MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW));
  MountAttrChange noatime{MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME};
  EXPECT_EQ(parse_mount_options({"rnoatime"}).recursive, noatime);
  MountAttrChange strict{MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME};
  EXPECT_EQ(parse_mount_options({"rstrictatime"}).recursive, strict);
  EXPECT_EQ(parse_mount_options({"rnorelatime"}).recursive, strict);
  MountAttrChange relatime{MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME};
  EXPECT_EQ(parse_mount_options({"rrelatime"}).recursive, relatime);
  EXPECT_EQ(parse_mount_options({"ratime"}).recursive, relatime);
  EXPECT_EQ(parse_mount_options({"rnoatime", "rstrictatime"}).recursive, strict);
  MountAttrChange ro_then_rw{0, MOUNT_ATTR_RDONLY};
  EXPECT_EQ(parse_mount_options({"rro", "rrw"}).recursive, ro_then_rw);
}

// A tmpfs takes the covered directory's mode unless the config names one.
TEST(MountOptions, TmpfsModeComesFromTheDirectoryWithoutModeOption) {
  EXPECT_EQ(tmpfs_data_with_mode("", 0700), "mode=700");
  EXPECT_EQ(tmpfs_data_with_mode("size=65536k", 01777), "size=65536k,mode=1777");
  EXPECT_EQ(tmpfs_data_with_mode("size=1m", 040755), "size=1m,mode=755");  // type bits dropped
  EXPECT_EQ(tmpfs_data_with_mode("mode=755", 0700), "mode=755");
  EXPECT_EQ(tmpfs_data_with_mode("size=1m,mode=1777,nr_inodes=5", 0700),
            "size=1m,mode=1777,nr_inodes=5");
  EXPECT_EQ(tmpfs_data_with_mode("xmode=1", 0750), "xmode=1,mode=750");
}

}  // namespace
}  // namespace burrow::linux
