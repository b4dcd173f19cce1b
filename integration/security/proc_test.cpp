// CVE-2025-52881 / CVE-2019-19921 class: the runtime writes /proc files (here linux.sysctl) into
// the container's /proc; if something else sits at /proc or under it (a tmpfs, a bind of a host
// directory with a fake sys tree, a fake /proc in the image), the write must not land in a
// regular file. Each test gives the fake tree as a host directory and asserts it is unchanged,
// and that the container either was refused or really has the sysctl value.
#include <string>

#include "expected_messages.hpp"
#include "harness/environment.hpp"
#include "security/rootfs_attack.hpp"

namespace integration {
namespace {

using nlohmann::json;

class ProcFilesystem : public RootfsAttack {
 protected:
  void SetUp() override {
    RootfsAttack::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    put_host_file("fake/sys/net/ipv4/ip_forward", "0\n");
    put_host_file("fake/sys/kernel/core_pattern", "core\n");
  }

  // Runs the private rootfs with net.ipv4.ip_forward=1 and `tweak` applied; the probe reads the
  // value back. burrow refuses with `expected_key`'s text; another runtime may instead run it,
  // and then the kernel must hold the value.
  CommandResult expect_sysctl_not_faked(const Tweak& tweak, std::string_view expected_key) {
    CommandResult run = run_container([&](json& c) {
      c["root"]["path"] = copy_;
      c["linux"]["sysctl"] = {{"net.ipv4.ip_forward", "1"}};
      c["process"]["args"] = probe_args({"sysctl", "net.ipv4.ip_forward"});
      tweak(c);
    });
    EXPECT_EQ(host_damage(), "") << run.describe();
    if (run.exit_code != 0 || runtime_is_burrow()) {
      expect_error(run, expected_key);
      return run;
    }
    json answer = last_json_line(run.out);
    EXPECT_EQ(answer, (json{{"ok", true}, {"value", "1"}}))
        << "the sysctl did not reach the kernel\n"
        << run.describe();
    return run;
  }
};

TEST_F(ProcFilesystem, TmpfsOverProcIsRefused) {
  expect_sysctl_not_faked(
      [](json& c) {
        c["mounts"].push_back(
            {{"destination", "/proc"}, {"type", "tmpfs"}, {"source", "tmpfs"}, {"options", {}}});
      },
      "mount_not_proc_on_proc");
}

TEST_F(ProcFilesystem, BindOfAFakeProcOverProcIsRefused) {
  expect_sysctl_not_faked([&](json& c) { c["mounts"].push_back(bind(host_ + "/fake", "/proc")); },
                          "mount_bind_not_procfs_on_proc");
}

TEST_F(ProcFilesystem, BindOverProcSysIsRefused) {
  expect_sysctl_not_faked(
      [&](json& c) { c["mounts"].push_back(bind(host_ + "/fake/sys", "/proc/sys")); },
      "mount_inside_proc");
}

// The same bind through a symlink in the image: config.json names /mnt/sys, which the rootfs
// points at /proc/sys; only the resolved path shows it lands in procfs.
TEST_F(ProcFilesystem, BindThroughASymlinkIntoProcIsRefused) {
  host_shell("ln -s /proc/sys '" + in_copy("/mnt/sys") + "'");
  expect_sysctl_not_faked(
      [&](json& c) { c["mounts"].push_back(bind(host_ + "/fake/sys", "/mnt/sys")); },
      "mount_resolves_into_proc");
}

// No proc mount at all: /proc is the image's own directory, with a fake sys tree in it.
TEST_F(ProcFilesystem, FakeProcOfTheImageIsNeverWritten) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "Debian's runc 1.1.5 writes linux.sysctl through whatever /proc the rootfs has "
                    "(CVE-2025-52881 class, fixed in runc 1.2.8)";
  const std::string fake = in_copy("/proc/sys/net/ipv4/ip_forward");
  host_shell("mkdir -p '" + in_copy("/proc/sys/net/ipv4") + "' && echo 0 > '" + fake + "'");
  CommandResult run = expect_sysctl_not_faked(
      [&](json& c) {
        c["mounts"].erase(c["mounts"].begin());       // the proc mount
        c["linux"]["readonlyPaths"] = json::array();  // nothing read-only stops the write
        c["root"]["readonly"] = false;
      },
      "sysctl_proc_not_procfs");
  EXPECT_EQ(read_text(fake), "0\n") << "the sysctl landed in the image's file\n" << run.describe();
}

}  // namespace
}  // namespace integration
