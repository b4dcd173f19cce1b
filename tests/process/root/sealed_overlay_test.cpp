// As root, the sealed view of the binary is a detached lower-only overlayfs mount: no copy, and
// no way to write the binary through /proc/self/exe.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "process/sealed_binary.hpp"

namespace burrow::process {
namespace {

constexpr const char* kChildEnv = "BURROW_TEST_OVERLAY_CHILD";
constexpr int kOverlayAndReadOnly = 42;
constexpr int kNotOverlay = 43;
constexpr int kReexecReturned = 44;
constexpr int kWritable = 45;

// Run by name from SealedOverlay.ReexecRunsThroughADetachedOverlay (disabled, so a normal run
// skips it): reports through its exit code how /proc/self/exe is sealed and whether it can be
// opened for writing.
TEST(SealedOverlay, DISABLED_OverlayChild) {
  if (std::getenv(kChildEnv) == nullptr) return;
  if (running_sealed_view() != SealedView::overlay) ::_exit(kNotOverlay);
  int fd = ::open("/proc/self/exe", O_WRONLY);
  if (fd >= 0 || errno != EROFS) ::_exit(kWritable);
  ::_exit(kOverlayAndReadOnly);
}

TEST(SealedOverlay, ReexecRunsThroughADetachedOverlay) {
  if (::geteuid() != 0)
    GTEST_SKIP() << "needs root: overlayfs mounts in the initial user namespace";
  char spare[] = "/tmp/burrow-spare-XXXXXX";
  ASSERT_NE(::mkdtemp(spare), nullptr);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) {
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
    }
    ::setenv(kChildEnv, "1", 1);
    char arg0[] = "/proc/self/exe";
    char filter[] = "--gtest_filter=SealedOverlay.DISABLED_OverlayChild";
    char disabled[] = "--gtest_also_run_disabled_tests";
    char* argv[] = {arg0, filter, disabled, nullptr};
    (void)reexec_from_sealed_copy(argv, spare);
    ::_exit(kReexecReturned);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ::rmdir(spare);
  ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
  EXPECT_EQ(WEXITSTATUS(status), kOverlayAndReadOnly)
      << "43: not running through the overlay; 44: reexec returned; 45: writable";
}

TEST(SealedOverlay, InstalledBinaryIsNotSealed) {
  EXPECT_EQ(running_sealed_view(), SealedView::none);
}

}  // namespace
}  // namespace burrow::process
