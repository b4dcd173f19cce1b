#include "linux/lsm.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "base/fd.hpp"
#include "base/file.hpp"
#include "linux/mount_plan.hpp"

namespace burrow::linux {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "burrow-lsm-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }
  // An existing empty file, as the kernel's attr files always exist.
  void touch(const std::string& name) const {
    fs::create_directories(fs::path(path_ + "/" + name).parent_path());
    ASSERT_TRUE(file::write_atomic(path_ + "/" + name, ""));
  }
  std::string read(const std::string& name) const { return file::read(path_ + "/" + name).value(); }
  Fd open() const { return Fd(::open(path_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC)); }

 private:
  std::string path_;
};

TEST(Lsm, NoLsmOnAnEmptySys) {
  TempDir sys;
  HostLsms host = detect_host_lsms(sys.path());
  EXPECT_FALSE(host.apparmor);
  EXPECT_FALSE(host.selinux);
}

TEST(Lsm, AppArmorNeedsSecurityfsDirAndEnabledParameter) {
  TempDir sys;
  fs::create_directories(sys.path() + "/kernel/security/apparmor");
  sys.touch("module/apparmor/parameters/enabled");
  EXPECT_FALSE(detect_host_lsms(sys.path()).apparmor);  // empty parameter
  ASSERT_TRUE(file::write_atomic(sys.path() + "/module/apparmor/parameters/enabled", "N\n"));
  EXPECT_FALSE(detect_host_lsms(sys.path()).apparmor);
  ASSERT_TRUE(file::write_atomic(sys.path() + "/module/apparmor/parameters/enabled", "Y\n"));
  EXPECT_TRUE(detect_host_lsms(sys.path()).apparmor);
  fs::remove(sys.path() + "/kernel/security/apparmor");
  EXPECT_FALSE(detect_host_lsms(sys.path()).apparmor);  // module loaded, LSM not active
}

TEST(Lsm, SelinuxNeedsSelinuxfs) {
  TempDir sys;
  sys.touch("fs/selinux/enforce");
  EXPECT_TRUE(detect_host_lsms(sys.path()).selinux);
}

std::string refusal(const spec::Spec& spec, HostLsms host) {
  Status status = check_lsm_labels(spec, host);
  return status ? "" : status.error().message;
}

TEST(Lsm, LabelsWithoutTheirLsmAreRefusedByField) {
  spec::Spec spec;
  spec.process.emplace();
  spec.linux.emplace();
  EXPECT_EQ(refusal(spec, {}), "");
  spec.process->apparmor_profile = "docker-default";
  EXPECT_EQ(refusal(spec, {}), "process.apparmorProfile: AppArmor is not enabled on this host");
  EXPECT_EQ(refusal(spec, {.apparmor = true}), "");
  spec.process->selinux_label = "system_u:system_r:container_t:s0";
  EXPECT_EQ(refusal(spec, {.apparmor = true}),
            "process.selinuxLabel: SELinux is not enabled on this host");
  spec.process->selinux_label.clear();
  spec.linux->mount_label = "system_u:object_r:container_file_t:s0";
  EXPECT_EQ(refusal(spec, {.apparmor = true}),
            "linux.mountLabel: SELinux is not enabled on this host");
  spec.process->apparmor_profile.clear();
  EXPECT_EQ(refusal(spec, {.selinux = true}), "");
}

TEST(Lsm, AppArmorProfileGoesToThePerLsmExecFile) {
  TempDir attr;
  attr.touch("exec");
  attr.touch("apparmor/exec");
  ASSERT_TRUE(write_exec_labels(attr.open().get(), {"docker-default", ""}));
  EXPECT_EQ(attr.read("apparmor/exec"), "exec docker-default");
  EXPECT_EQ(attr.read("exec"), "");
}

TEST(Lsm, AppArmorFallsBackToTheSharedExecFile) {
  TempDir attr;
  attr.touch("exec");
  ASSERT_TRUE(write_exec_labels(attr.open().get(), {"docker-default", ""}));
  EXPECT_EQ(attr.read("exec"), "exec docker-default");
}

TEST(Lsm, SelinuxLabelGoesToExec) {
  TempDir attr;
  attr.touch("exec");
  attr.touch("apparmor/exec");
  ASSERT_TRUE(write_exec_labels(attr.open().get(), {"", "system_u:system_r:container_t:s0"}));
  EXPECT_EQ(attr.read("exec"), "system_u:system_r:container_t:s0");
  EXPECT_EQ(attr.read("apparmor/exec"), "");
}

TEST(Lsm, NoLabelsWriteNothing) {
  TempDir attr;  // no attr files at all: any open would fail
  EXPECT_TRUE(write_exec_labels(attr.open().get(), {}));
}

TEST(Lsm, AWriteFailureNamesTheProfile) {
  TempDir attr;  // no exec file
  Status status = write_exec_labels(attr.open().get(), {"p1", ""});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message.rfind("apparmor failed to apply profile p1: open attr/exec", 0),
            0u)
      << status.error().message;
}

// apply_exec_labels insists on procfs: a plain directory standing in for /proc is refused.
TEST(Lsm, ApplyRefusesANonProcfsRoot) {
  TempDir proc;
  fs::create_directories(proc.path() + "/thread-self/attr");
  proc.touch("thread-self/attr/exec");
  Status status = apply_exec_labels(proc.open().get(), {"p", ""});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "/proc/thread-self/attr is not on procfs");
  EXPECT_EQ(proc.read("thread-self/attr/exec"), "");
  EXPECT_TRUE(apply_exec_labels(proc.open().get(), {}));  // nothing asked: nothing checked
}

TEST(Lsm, MountLabelIsAContextOption) {
  EXPECT_EQ(with_mount_label("", ""), "");
  EXPECT_EQ(with_mount_label("mode=755", ""), "mode=755");
  EXPECT_EQ(with_mount_label("", "s0"), "context=\"s0\"");
  EXPECT_EQ(with_mount_label("mode=755,size=1k", "system_u:object_r:container_file_t:s0"),
            "mode=755,size=1k,context=\"system_u:object_r:container_file_t:s0\"");
}

spec::Mount mount_of(const char* type, std::vector<std::string> options = {}) {
  spec::Mount m;
  m.destination = "/m";
  m.type = type;
  m.source = type;
  m.options = std::move(options);
  return m;
}

TEST(Lsm, MountPlanLabelsFilesystemMountsButNotProcSysfsMqueueOrBinds) {
  RootfsConfig config;
  config.mount_label = "s0";
  EXPECT_EQ(plan_mount(mount_of("tmpfs", {"mode=755"}), config)->data, "mode=755,context=\"s0\"");
  EXPECT_EQ(plan_mount(mount_of("devpts"), config)->data, "context=\"s0\"");
  EXPECT_EQ(plan_mount(mount_of("proc"), config)->data, "");
  EXPECT_EQ(plan_mount(mount_of("sysfs"), config)->data, "");
  EXPECT_EQ(plan_mount(mount_of("mqueue"), config)->data, "");
  EXPECT_EQ(plan_mount(mount_of("bind", {"rbind"}), config)->data, "");
  spec::Spec spec;
  spec.linux.emplace();
  spec.linux->mount_label = "s0";
  EXPECT_EQ(rootfs_config_from_spec(spec, "/r").mount_label, "s0");
}

}  // namespace
}  // namespace burrow::linux
