// /dev entries the image controls. Masking binds /dev/null over masked files, so a /dev/null that
// is a symlink or a plain file would expose or replace them (CVE-2025-31133); a /dev that is a
// symlink would send the runtime's device nodes elsewhere; /dev/console and /dev/pts/N symlinks
// would have the pty bind (or the console file's creation) land on their target (CVE-2025-52565).
#include <unistd.h>

#include <algorithm>
#include <string>

#include "expected_messages.hpp"
#include "harness/console_socket.hpp"
#include "harness/environment.hpp"
#include "security/rootfs_attack.hpp"

namespace integration {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// The image's own /dev: config.json mounts nothing at /dev (runc supports that; the runtime then
// creates only linux.devices). Mounts under /dev named in `keep` stay.
void drop_dev_mounts(json& c, const std::vector<std::string>& keep = {}) {
  json kept = json::array();
  for (const auto& mount : c["mounts"]) {
    std::string destination = mount["destination"];
    bool under_dev = destination == "/dev" || destination.rfind("/dev/", 0) == 0;
    if (!under_dev || std::find(keep.begin(), keep.end(), destination) != keep.end())
      kept.push_back(mount);
  }
  c["mounts"] = kept;
}

class DevAttack : public RootfsAttack {
 protected:
  // The image's /dev/null is made by `make_null` (a shell command run in the copy's /dev); the
  // container reads the masked /secret, then writes to it: a mask with anything but the null
  // device would show the secret, or (a procfs file) let the write through to the kernel. The
  // probe's answers go to a host directory: stdio may be what /dev/null points at.
  void expect_masks_hold(const std::string& make_null, std::string_view expected_key) {
    host_shell("echo top-secret > '" + in_copy("/secret") + "'");
    host_shell("cd '" + in_copy("/dev") + "' && rm -f null && " + make_null);
    const std::string results = work_ + "/results";
    host_shell("mkdir '" + results + "'");
    CommandResult run = run_container([&](json& c) {
      c["root"]["path"] = copy_;
      drop_dev_mounts(c);
      c["mounts"].push_back(bind(results, "/results"));
      c["linux"]["maskedPaths"] = {"/secret"};
      c["linux"]["readonlyPaths"] = json::array();  // /proc/sys stays writable (own UTS ns)
      c["process"]["args"] = {"/bin/sh", "-c",
                              "exec >/results/out; /probe read /secret; "
                              "/probe write /secret pwned; /probe sysctl kernel.hostname"};
    });
    if (run.exit_code != 0 || runtime_is_burrow()) {
      expect_error(run, expected_key);
      return;
    }
    std::vector<json> answers = json_lines(read_text(results + "/out"));
    ASSERT_EQ(answers.size(), 3u) << run.describe();
    EXPECT_NE(answers[0].value("content", ""), "top-secret\n") << "the masked file was readable";
    EXPECT_NE(answers[2].value("value", ""), "pwned") << "the mask wrote through to a /proc file";
  }

  // process.terminal with a console socket; the probe reports what /dev/console is. A run must
  // show the pty (devpts majors are 136..143). burrow must refuse with `burrow_refusal`'s text,
  // or run it when that is empty; another runtime may do either.
  void expect_console_is_the_pty(const Tweak& tweak, std::string_view burrow_refusal) {
    ConsoleSocket socket(work_ + "/console.sock");
    ASSERT_TRUE(socket.ok());
    write_config([&](json& c) {
      c["root"]["path"] = copy_;
      c["process"]["terminal"] = true;
      c["process"]["args"] = {"/bin/sh", "-c", "/probe stat /dev/console; echo end-of-output"};
      tweak(c);
    });
    // The runtime sends the master without waiting for it to be accepted.
    CommandResult created =
        runtime({"create", "--console-socket", work_ + "/console.sock", "--bundle", bundle_, id_});
    std::string output;
    if (created.exit_code == 0) {
      int master = socket.receive_master();
      EXPECT_GE(master, 0) << "no fd arrived on the console socket";
      EXPECT_EQ(runtime({"start", id_}).exit_code, 0);
      if (master >= 0) output = read_until(master, "end-of-output", 10s);
      if (master >= 0) ::close(master);
    }
    EXPECT_EQ(host_damage(), "") << created.describe() << output;
    bool refuses = !burrow_refusal.empty();
    if (created.exit_code != 0 || (runtime_is_burrow() && refuses)) {
      if (refuses)
        expect_error(created, burrow_refusal);
      else
        EXPECT_FALSE(runtime_is_burrow()) << "burrow refused it\n" << created.describe();
      return;
    }
    json console = last_json_line(output.substr(0, output.find("end-of-output")));
    ASSERT_TRUE(console.is_object()) << output;
    EXPECT_EQ(console["type"], "char") << output;
    unsigned major = console.value("major", 0u);
    EXPECT_TRUE(major >= 136 && major <= 143) << "/dev/console is not the pty: " << console;
  }
};

TEST_F(DevAttack, MaskingRefusesADevNullSymlink) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "Debian's runc 1.1.5 masks with whatever /dev/null points at, here a writable "
                    "/proc file (CVE-2025-31133, fixed in runc 1.2.8)";
  expect_masks_hold("ln -s /proc/sys/kernel/hostname null", "mask_dev_null_symlink");
}

TEST_F(DevAttack, MaskingRefusesADevNullThatIsAFile) {
  expect_masks_hold("echo fake-null > null", "mask_dev_null_file");
}

TEST_F(DevAttack, MaskingRefusesAMissingDevNull) {
  expect_masks_hold("true", "mask_dev_null_missing");
}

// The image's /dev points into a directory the container shares with the host (mounted after
// /dev, so the runtime's tmpfs lands under it): the runtime's device nodes, /dev/pts and the rest
// must not be made in the shared directory.
TEST_F(DevAttack, DevSymlinkIntoASharedDirectoryIsRefused) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "Debian's runc 1.1.5 follows a /dev symlink in the rootfs and makes its device "
                    "nodes in the directory it points at, here one shared with the host";
  host_shell("rm -rf '" + in_copy("/dev") + "' && ln -s /vol '" + in_copy("/dev") + "' && mkdir '" +
             in_copy("/vol") + "'");
  CommandResult run = run_container([&](json& c) {
    c["root"]["path"] = copy_;
    c["mounts"].push_back(bind(host_, "/vol"));
  });
  EXPECT_EQ(host_damage(), "") << run.describe();
  if (run.exit_code != 0 || runtime_is_burrow()) expect_error(run, "mount_dev_symlink");
}

// The image's /dev (no tmpfs), its /dev/console a symlink to a file the host shares at /vol.
// Creating the console file or binding the pty must not follow it.
TEST_F(DevAttack, ConsoleSymlinkIsNotFollowed) {
  if (!runtime_is_burrow())
    GTEST_SKIP() << "Debian's runc 1.1.5 opens /dev/console with O_CREAT|O_TRUNC through the "
                    "symlink, emptying its target (CVE-2025-52565, fixed in runc 1.2.8)";
  put_host_file("precious", "precious\n");
  host_shell("cd '" + in_copy("/dev") + "' && mknod -m 666 null c 1 3 && ln -s pts/ptmx ptmx " +
             "&& ln -s /vol/precious console && mkdir '" + in_copy("/vol") + "'");
  expect_console_is_the_pty(
      [&](json& c) {
        drop_dev_mounts(c, {"/dev/pts"});
        c["mounts"].push_back(bind(host_, "/vol"));
      },
      "console_symlink");
}

// /dev/ptmx leads to a devpts at /devpts, while the image's /dev/pts/N are symlinks to a file the
// host shares: the slave's name (/dev/pts/N) is not the slave. burrow binds and opens the pty's
// own slave, never the name.
TEST_F(DevAttack, PtsNameSymlinkIsNotFollowed) {
  put_host_file("precious", "precious\n");
  host_shell("cd '" + in_copy("/dev") + "' && mknod -m 666 null c 1 3 && " +
             "ln -s /devpts/ptmx ptmx && mkdir -p pts '" + in_copy("/vol") + "' && " +
             "for n in 0 1 2 3 4 5 6 7; do ln -s /vol/precious pts/$n; done");
  expect_console_is_the_pty(
      [&](json& c) {
        drop_dev_mounts(c, {"/dev/pts"});
        for (auto& mount : c["mounts"])
          if (mount["destination"] == "/dev/pts") mount["destination"] = "/devpts";
        c["mounts"].push_back(bind(host_, "/vol"));
      },
      "");
}

}  // namespace
}  // namespace integration
