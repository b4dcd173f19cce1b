// End to end with a real program: an image made from /bin/busybox, imported as `docker save`
// output (and, when skopeo is installed, as the OCI archive skopeo makes from it), unpacked,
// mounted, and a shell run in it.
#include <sys/wait.h>

#include <cstdio>

#include "root_fixture.hpp"

namespace burrow::shim::image {
namespace {

using namespace test;

constexpr const char* kBusybox = "/bin/busybox";

class Busybox : public RootStoreTest {
 protected:
  void SetUp() override {
    RootStoreTest::SetUp();
    if (IsSkipped()) return;
    if (::access(kBusybox, X_OK) != 0) GTEST_SKIP() << kBusybox << " missing (busybox-static)";
  }

  TestImage image() {
    auto image = TestImage::of({{dir("bin/"), file("bin/busybox", read_file(kBusybox), 0755),
                                 symlink("bin/sh", "busybox"), hardlink("bin/ls", "bin/busybox"),
                                 hardlink("bin/cat", "bin/busybox"), dir("tmp/", 01777)},
                                {dir("etc/"), file("etc/motd", "made by the test\n")}},
                               Compression::kGzip);
    image.config = {{"Cmd", {"sh"}}, {"Env", {"PATH=/bin"}}, {"WorkingDir", "/tmp"}};
    return image;
  }

  // Runs `command` with /bin/sh -c in a chroot of `root`; returns its stdout.
  static std::string run_in(const std::string& root, const std::string& command) {
    int out[2];
    if (::pipe(out) < 0) return "pipe failed";
    pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(out[1], 1);
      if (::chroot(root.c_str()) < 0 || ::chdir("/") < 0) ::_exit(126);
      ::execl("/bin/sh", "sh", "-c", command.c_str(), nullptr);
      ::_exit(127);
    }
    ::close(out[1]);
    auto text = file::read_fd(out[0], "child stdout");
    ::close(out[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return (text ? *text : "") + (WIFEXITED(status) && WEXITSTATUS(status) == 0
                                      ? ""
                                      : "[status " + std::to_string(status) + "]");
  }

  void expect_shell_works(const std::string& name, RootfsMode mode) {
    auto resolved = resolve(store(), name);
    ASSERT_TRUE(resolved) << resolved.error().message;
    EXPECT_EQ(resolved->config.cmd, std::vector<std::string>{"sh"});
    EXPECT_EQ(resolved->config.working_dir, "/tmp");
    auto layers = unpack_layers(store(), *resolved, {});
    ASSERT_TRUE(layers) << layers.error().message;
    auto rootfs = mount_rootfs(*layers, dir_ + "/scratch-" + std::to_string(static_cast<int>(mode)),
                               make_dir("target-" + std::to_string(static_cast<int>(mode))), mode);
    if (!rootfs && rootfs.error().code == ENODEV) GTEST_SKIP() << "no overlayfs in this kernel";
    ASSERT_TRUE(rootfs) << rootfs.error().message;
    EXPECT_TRUE(exists(rootfs->path() + "/bin/sh"));
    EXPECT_EQ(run_in(rootfs->path(), "cat /etc/motd; echo hi > /tmp/x; cat /tmp/x; ls /bin"),
              "made by the test\nhi\nbusybox\ncat\nls\nsh\n");
    ASSERT_TRUE(rootfs->release());
  }
};

TEST_F(Busybox, DockerSaveArchiveRunsAShell) {
  auto names = import_archive(store(), put("busybox.tar", docker_archive(image(), {"busybox"})));
  ASSERT_TRUE(names) << names.error().message;
  expect_shell_works("busybox", RootfsMode::kOverlay);
  expect_shell_works("busybox", RootfsMode::kCopy);
}

TEST_F(Busybox, SkopeoOciArchiveRoundTrip) {
  if (::access("/usr/bin/skopeo", X_OK) != 0) GTEST_SKIP() << "skopeo not installed";
  std::string docker = put("busybox.tar", docker_archive(image(), {"busybox:1.36"}));
  std::string oci = dir_ + "/busybox-oci.tar";
  std::string command = "skopeo --insecure-policy copy -q docker-archive:" + docker +
                        " oci-archive:" + oci + ":busybox:1.36 2>&1";
  FILE* p = ::popen(command.c_str(), "r");
  ASSERT_TRUE(p);
  char buf[4096];
  std::string output;
  while (size_t n = fread(buf, 1, sizeof(buf), p)) output.append(buf, n);
  int status = ::pclose(p);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) GTEST_SKIP() << "skopeo not runnable";
  ASSERT_EQ(status, 0) << command << ": " << output;
  auto names = import_archive(store(), oci);
  ASSERT_TRUE(names) << names.error().message;
  EXPECT_EQ(*names, std::vector<std::string>{"docker.io/library/busybox:1.36"});
  expect_shell_works("busybox:1.36", RootfsMode::kOverlay);
}

}  // namespace
}  // namespace burrow::shim::image
