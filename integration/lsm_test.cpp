// process.apparmorProfile, process.selinuxLabel, linux.mountLabel: refused by name on a host
// without the LSM (these machines), applied where the kernel has it (the VM tier's Debian kernel
// has AppArmor).
#include <sys/stat.h>

#include "harness/container_test.hpp"

namespace integration {
namespace {

using nlohmann::json;

bool exists(const char* path) {
  struct stat st {};
  return ::stat(path, &st) == 0;
}

// As burrow and runc decide it.
bool host_has_apparmor() {
  if (!exists("/sys/kernel/security/apparmor")) return false;
  std::string enabled = read_text("/sys/module/apparmor/parameters/enabled");
  return !enabled.empty() && enabled.front() == 'Y';
}
bool host_has_selinux() {
  return exists("/sys/fs/selinux/enforce");
}

using Lsm = ContainerTest;

TEST_F(Lsm, AppArmorProfileWithoutAppArmorIsRefused) {
  if (host_has_apparmor()) GTEST_SKIP() << "the host runs AppArmor";
  write_config([](json& c) { c["process"]["apparmorProfile"] = "docker-default"; });
  expect_error(runtime({"create", "--bundle", bundle_, id_}), "apparmor_not_enabled");
}

TEST_F(Lsm, SelinuxLabelWithoutSelinuxIsRefused) {
  if (host_has_selinux()) GTEST_SKIP() << "the host runs SELinux";
  write_config(
      [](json& c) { c["process"]["selinuxLabel"] = "system_u:system_r:container_t:s0:c1,c2"; });
  expect_error(runtime({"create", "--bundle", bundle_, id_}), "selinux_label_not_enabled");
}

TEST_F(Lsm, MountLabelWithoutSelinuxIsRefused) {
  if (host_has_selinux()) GTEST_SKIP() << "the host runs SELinux";
  write_config(
      [](json& c) { c["linux"]["mountLabel"] = "system_u:object_r:container_file_t:s0:c1,c2"; });
  expect_error(runtime({"create", "--bundle", bundle_, id_}), "mount_label_not_enabled");
}

// The VM tier loads integration/vm/burrow-test.apparmor (complain mode) before this test: the
// container's process runs under it (without the profile it would be "unconfined").
TEST_F(Lsm, AppArmorProfileIsTheProcessLabel) {
  if (!host_has_apparmor())
    GTEST_SKIP() << "needs AppArmor (not enabled on this kernel; the VM tier's kernel has it)";
  if (read_text("/sys/kernel/security/apparmor/profiles").find("burrow-test") ==
      std::string::npos)
    GTEST_SKIP() << "profile burrow-test not loaded (integration/vm/vm-test loads it)";
  CommandResult run = run_container([](json& c) {
    c["process"]["apparmorProfile"] = "burrow-test";
    c["process"]["args"] = probe_args({"read", "/proc/self/attr/current"});
  });
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_NE(run.out.find("burrow-test (complain)"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace integration
