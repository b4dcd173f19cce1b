#include "linux/mount_plan.hpp"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>

namespace burrow::linux {
namespace {

spec::Mount mnt(std::string dest, std::string type, std::string source,
                std::vector<std::string> options) {
  spec::Mount m;
  m.destination = std::move(dest);
  m.type = std::move(type);
  m.source = std::move(source);
  m.options = std::move(options);
  return m;
}

spec::Spec spec_with(std::vector<spec::Mount> mounts) {
  spec::Spec s;
  s.mounts = std::move(mounts);
  s.linux.emplace();
  return s;
}

TEST(MountPlan, FilesystemMount) {
  RootfsConfig config;
  auto step = plan_mount(
      mnt("/dev//", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
      config);
  ASSERT_TRUE(step.ok()) << step.error().message;
  EXPECT_EQ(step->kind, MountKind::filesystem);
  EXPECT_EQ(step->destination, "/dev");
  EXPECT_EQ(step->source, "tmpfs");
  EXPECT_EQ(step->type, "tmpfs");
  EXPECT_EQ(step->flags, MS_NOSUID | MS_STRICTATIME);
  EXPECT_EQ(step->remount_flags, 0UL);
  EXPECT_EQ(step->data, "mode=755,size=65536k");
}

TEST(MountPlan, BindWithFlagsRemounts) {
  RootfsConfig config;
  auto step =
      plan_mount(mnt("/data", "bind", "/srv", {"rbind", "ro", "nosuid", "rprivate"}), config);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->kind, MountKind::bind);
  EXPECT_EQ(step->flags, MS_BIND | MS_REC);
  EXPECT_EQ(step->remount_flags, MS_RDONLY | MS_NOSUID);
  EXPECT_EQ(step->propagation, std::vector<unsigned long>{MS_REC | MS_PRIVATE});
  EXPECT_EQ(step->data, "");
}

// Filesystem data on a bind is dropped (runc 1.1 hands it to mount(2), which ignores it); the
// flags among the options still apply.
TEST(MountPlan, BindDropsFilesystemData) {
  RootfsConfig config;
  auto step =
      plan_mount(mnt("/data", "bind", "/srv", {"rbind", "ro", "mode=755", "size=10m"}), config);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->kind, MountKind::bind);
  EXPECT_EQ(step->remount_flags, static_cast<unsigned long>(MS_RDONLY));
  EXPECT_EQ(step->data, "");
}

TEST(MountPlan, BindTypeWithoutOptionAndPlainBind) {
  RootfsConfig config;
  auto typed = plan_mount(mnt("/a", "bind", "/srv", {}), config);
  EXPECT_EQ(typed->kind, MountKind::bind);
  EXPECT_EQ(typed->flags, static_cast<unsigned long>(MS_BIND));
  EXPECT_EQ(typed->remount_flags, 0UL);
  auto by_option = plan_mount(mnt("/a", "none", "/srv", {"bind", "rw"}), config);
  EXPECT_EQ(by_option->kind, MountKind::bind);
  EXPECT_EQ(by_option->flags, static_cast<unsigned long>(MS_BIND));
  EXPECT_EQ(by_option->remount_flags, 0UL);
}

// The host's /sys (the parent's non-recursive clone, or a runtime in a user namespace's rbind),
// always read-only, nosuid, nodev and noexec.
TEST(MountPlan, SysfsInUserNamespaceWithoutItsNetnsIsTheHostsSysReadOnly) {
  RootfsConfig config;
  config.in_user_namespace = true;
  auto step = plan_mount(mnt("/sys", "sysfs", "sysfs", {"rw"}), config);
  EXPECT_EQ(step->kind, MountKind::bind);
  EXPECT_EQ(step->source, "/sys");
  EXPECT_EQ(step->flags, MS_BIND | MS_REC);
  EXPECT_EQ(step->remount_flags, MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY);
  config.owns_network_namespace = true;
  auto own = plan_mount(mnt("/sys", "sysfs", "sysfs", {"ro"}), config);
  EXPECT_EQ(own->kind, MountKind::filesystem);
  EXPECT_EQ(own->source, "sysfs");
  EXPECT_EQ(own->flags, static_cast<unsigned long>(MS_RDONLY));
}

// The parent's clone is attached in place of the sysfs mount: the plan marks it like an
// idmapped bind.
TEST(MountPlan, HostSysfsCloneIsAttachedFromTheParentsFd) {
  RootfsConfig config;
  config.in_user_namespace = true;
  config.detached_mount_fds[0] = 42;
  auto plan = plan_mounts(spec_with({mnt("/sys", "sysfs", "sysfs", {"ro"})}), config);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(plan->steps.at(0).detached_mount, 0u);
}

// Planning only marks the step; the fd is looked up when the step is applied.
TEST(MountPlan, IdmappedBindIsMarkedWithItsSpecIndex) {
  spec::Mount mapped = mnt("/data", "bind", "/srv", {"rbind", "ro"});
  mapped.uid_mappings = {{0, 1000, 1}};
  mapped.gid_mappings = {{0, 1000, 1}};
  spec::Spec s = spec_with({mnt("/proc", "proc", "proc", {}), mapped,
                            mnt("/opt", "bind", "/opt", {"bind", "idmap"}),
                            mnt("/tmp", "tmpfs", "tmpfs", {"idmap"})});
  auto plan = plan_mounts(s, RootfsConfig{});
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 4u);
  EXPECT_EQ(plan->steps[0].detached_mount, std::nullopt);
  EXPECT_EQ(plan->steps[1].detached_mount, std::optional<size_t>(1));
  EXPECT_EQ(plan->steps[1].field, "mounts[1]");  // errors about its destination name it
  EXPECT_EQ(plan->steps[1].kind, MountKind::bind);
  EXPECT_EQ(plan->steps[1].flags, MS_BIND | MS_REC);
  EXPECT_EQ(plan->steps[1].remount_flags, static_cast<unsigned long>(MS_RDONLY));
  EXPECT_EQ(plan->steps[2].detached_mount, std::optional<size_t>(2));
  EXPECT_EQ(plan->steps[2].data, "");                      // "idmap" is not filesystem data
  EXPECT_EQ(plan->steps[3].detached_mount, std::nullopt);  // not a bind (validation refuses)
}

TEST(MountPlan, IdmapIsRecursiveWithRidmapOrRbind) {
  EXPECT_FALSE(mnt("/a", "bind", "/srv", {"bind", "idmap"}).is_recursive_idmap());
  EXPECT_TRUE(mnt("/a", "bind", "/srv", {"bind", "ridmap"}).is_recursive_idmap());
  EXPECT_TRUE(mnt("/a", "bind", "/srv", {"rbind", "idmap"}).is_recursive_idmap());
}

// runc's rule, which dockerd relies on for --privileged: read-write unless the options say ro.
TEST(MountPlan, CgroupReadWriteUnlessRo) {
  RootfsConfig config;
  auto plain =
      plan_mount(mnt("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "relatime"}), config);
  EXPECT_EQ(plain->kind, MountKind::cgroup);
  EXPECT_EQ(plain->flags, static_cast<unsigned long>(MS_NOSUID | MS_RELATIME));
  auto ro = plan_mount(mnt("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "ro"}), config);
  EXPECT_EQ(ro->flags, static_cast<unsigned long>(MS_NOSUID | MS_RDONLY));
  auto rw = plan_mount(mnt("/sys/fs/cgroup", "cgroup2", "cgroup", {"rw"}), config);
  EXPECT_EQ(rw->kind, MountKind::cgroup);
  EXPECT_EQ(rw->flags, 0UL);
}

TEST(MountPlan, DelegatedCgroupIsWritableEvenWhenMarkedRo) {
  RootfsConfig config;
  config.delegated_cgroup = true;
  auto ro = plan_mount(mnt("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "ro"}), config);
  EXPECT_EQ(ro->kind, MountKind::cgroup);
  EXPECT_EQ(ro->flags, static_cast<unsigned long>(MS_NOSUID));
  auto plain = plan_mount(mnt("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid"}), config);
  EXPECT_EQ(plain->flags, static_cast<unsigned long>(MS_NOSUID));
}

TEST(MountPlan, EmptyDestinationIsAnError) {
  auto plan = plan_mounts(spec_with({mnt("", "tmpfs", "tmpfs", {})}), RootfsConfig{});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().message, ": mount: empty destination");
  EXPECT_EQ(plan.error().code, EINVAL);
}

TEST(MountPlan, RootPropagation) {
  spec::Spec s = spec_with({});
  RootfsConfig config;
  auto plan = plan_mounts(s, config);
  EXPECT_EQ(plan->root_propagation, MS_REC | MS_SLAVE);
  EXPECT_EQ(plan->final_root_propagation, 0UL);
  config.rootfs_propagation = "rprivate";
  plan = plan_mounts(s, config);
  EXPECT_EQ(plan->root_propagation, MS_REC | MS_PRIVATE);
  EXPECT_EQ(plan->final_root_propagation, 0UL);
  config.rootfs_propagation = "rshared";
  plan = plan_mounts(s, config);
  EXPECT_EQ(plan->root_propagation, MS_REC | MS_SHARED);
  EXPECT_EQ(plan->final_root_propagation, MS_REC | MS_SHARED);
  config.rootfs_propagation = "unbindable";
  EXPECT_EQ(plan_mounts(s, config)->final_root_propagation,
            static_cast<unsigned long>(MS_UNBINDABLE));
  config.rootfs_propagation = "sideways";
  plan = plan_mounts(s, config);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().message, "unknown rootfsPropagation \"sideways\"");
}

TEST(MountPlan, TmpfsDevGetsDefaultDevicesAndLinks) {
  spec::Spec s = spec_with({mnt("/dev", "tmpfs", "tmpfs", {"mode=755"}),
                            mnt("/dev/pts", "devpts", "devpts", {"newinstance"})});
  spec::Device fuse{"c", "/dev/fuse", 10, 229, 0600, 0, 0};
  s.linux->devices.push_back(fuse);
  auto plan = plan_mounts(s, RootfsConfig{});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->devices.size(), 7u);
  EXPECT_EQ(plan->devices[0].path, "/dev/null");
  EXPECT_EQ(plan->devices[6], (DeviceNode{"/dev/fuse", S_IFCHR, 10, 229, 0600, 0, 0}));
  ASSERT_EQ(plan->dev_symlinks.size(), 6u);
  EXPECT_EQ(plan->dev_symlinks[5], (DevSymlink{"/dev/ptmx", "pts/ptmx"}));
}

// dockerd lists /dev/ptmx among a --privileged container's devices: the symlink into the
// container's devpts takes its place (bound from the host in a user namespace, the node could not
// be replaced by it).
TEST(MountPlan, ADevPtmxDeviceGivesWayToTheSymlink) {
  spec::Spec s = spec_with({mnt("/dev", "tmpfs", "tmpfs", {"mode=755"}),
                            mnt("/dev/pts", "devpts", "devpts", {"newinstance"})});
  s.linux->devices.push_back(spec::Device{"c", "/dev/ptmx", 5, 2, 0666, 0, 0});
  auto plan = plan_mounts(s, RootfsConfig{});
  ASSERT_TRUE(plan.ok());
  for (const auto& node : plan->devices) EXPECT_NE(node.path, "/dev/ptmx");
  EXPECT_EQ(plan->dev_symlinks.back(), (DevSymlink{"/dev/ptmx", "pts/ptmx"}));
}

// runc: a read-only /dev is mounted writable, filled, and made read-only at the end.
TEST(MountPlan, ReadOnlyDevIsMadeReadOnlyAfterItsNodes) {
  spec::Spec s = spec_with({mnt("/dev", "tmpfs", "tmpfs", {"ro", "nosuid", "mode=755"})});
  auto plan = plan_mounts(s, RootfsConfig{});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->steps[0].flags, static_cast<unsigned long>(MS_NOSUID));
  EXPECT_TRUE(plan->readonly_dev);
  EXPECT_FALSE(plan->devices.empty());

  auto writable = plan_mounts(spec_with({mnt("/dev", "tmpfs", "tmpfs", {"nosuid"})}), {});
  EXPECT_FALSE(writable->readonly_dev);
  auto bound = plan_mounts(spec_with({mnt("/dev", "bind", "/dev", {"rbind", "ro"})}), {});
  EXPECT_FALSE(bound->readonly_dev);
  EXPECT_EQ(bound->steps[0].remount_flags, static_cast<unsigned long>(MS_RDONLY));
}

TEST(MountPlan, NoDevMountCreatesOnlySpecDevices) {
  spec::Spec s = spec_with({mnt("/proc", "proc", "proc", {})});
  s.linux->devices.push_back(spec::Device{"b", "/dev/loop0", 7, 0, std::nullopt, 5, 6});
  auto plan = plan_mounts(s, RootfsConfig{});
  ASSERT_EQ(plan->devices.size(), 1u);
  EXPECT_EQ(plan->devices[0], (DeviceNode{"/dev/loop0", S_IFBLK, 7, 0, 0666, 5, 6}));
  EXPECT_TRUE(plan->dev_symlinks.empty());
}

TEST(MountPlan, BoundDevGetsNoDevices) {
  spec::Spec s = spec_with({mnt("/dev", "bind", "/dev", {"rbind"})});
  s.linux->devices.push_back(spec::Device{"c", "/dev/fuse", 10, 229, {}, {}, {}});
  auto plan = plan_mounts(s, RootfsConfig{});
  EXPECT_TRUE(plan->devices.empty());
  EXPECT_TRUE(plan->dev_symlinks.empty());
}

TEST(MountPlan, ConfigFromSpec) {
  spec::Spec s = spec_with({});
  s.root.readonly = true;
  s.linux->masked_paths = {"/proc/kcore"};
  s.linux->readonly_paths = {"/proc/sys"};
  s.linux->rootfs_propagation = "rslave";
  s.linux->namespaces = {{spec::NamespaceType::user, ""}, {spec::NamespaceType::cgroup, ""}};
  RootfsConfig c = rootfs_config_from_spec(s, "/run/r");
  EXPECT_EQ(c.rootfs, "/run/r");
  EXPECT_TRUE(c.in_user_namespace);
  EXPECT_TRUE(c.has_cgroup_namespace);
  EXPECT_FALSE(c.owns_network_namespace);
  EXPECT_TRUE(c.readonly_root);
  EXPECT_EQ(c.masked_paths, std::vector<std::string>{"/proc/kcore"});
  EXPECT_EQ(c.readonly_paths, std::vector<std::string>{"/proc/sys"});
  EXPECT_EQ(c.rootfs_propagation, "rslave");
}

}  // namespace
}  // namespace burrow::linux
