#include "base/syscalls.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "base/file.hpp"

namespace burrow {
namespace {

// <tmp>/root with: escape -> /etc, up -> ../../.., abs -> /etc/passwd.
class OpenInRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/burrow-syscalls-test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    tmp_ = tmpl;
    root_ = tmp_ + "/root";
    ASSERT_EQ(::mkdir(root_.c_str(), 0755), 0);
    ASSERT_EQ(::symlink("/etc", (root_ + "/escape").c_str()), 0);
    ASSERT_EQ(::symlink("../../..", (root_ + "/up").c_str()), 0);
    ASSERT_EQ(::symlink("/etc/passwd", (root_ + "/abs").c_str()), 0);
    root_fd_.reset(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(root_fd_.valid());
  }
  void TearDown() override {
    if (!tmp_.empty()) (void)file::remove_all(tmp_);
  }

  void make_inner_passwd() {
    ASSERT_EQ(::mkdir((root_ + "/etc").c_str(), 0755), 0);
    ASSERT_TRUE(file::write_atomic(root_ + "/etc/passwd", "inner\n").ok());
  }

  static ino_t inode_of(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_ino;
  }
  static ino_t inode_of(int fd) {
    struct stat st {};
    EXPECT_EQ(::fstat(fd, &st), 0);
    return st.st_ino;
  }

  std::string tmp_, root_;
  Fd root_fd_;
};

TEST_F(OpenInRootTest, AbsoluteSymlinkDoesNotEscapeWhenTargetMissing) {
  auto r = sys::open_in_root(root_fd_.get(), "escape/passwd", O_RDONLY);
  ASSERT_FALSE(r.ok()) << "opened the host's /etc/passwd through a symlink";
  EXPECT_EQ(r.error().code, ENOENT);
  EXPECT_EQ(r.error().message, "open escape/passwd: No such file or directory");
}

TEST_F(OpenInRootTest, AbsoluteSymlinkResolvesInsideTheRoot) {
  make_inner_passwd();
  ino_t inner = inode_of(root_ + "/etc/passwd");
  ASSERT_NE(inner, inode_of("/etc/passwd"));
  for (const char* path : {"escape/passwd", "abs", "/etc/passwd", "/escape/passwd"}) {
    auto r = sys::open_in_root(root_fd_.get(), path, O_RDONLY);
    ASSERT_TRUE(r.ok()) << path << ": " << r.error().message;
    EXPECT_EQ(inode_of(r->get()), inner) << path;
  }
}

TEST_F(OpenInRootTest, DotDotCannotLeaveTheRoot) {
  make_inner_passwd();
  ino_t inner = inode_of(root_ + "/etc/passwd");
  for (const char* path : {"up/etc/passwd", "../../../../etc/passwd", "up/up/escape/passwd"}) {
    auto r = sys::open_in_root(root_fd_.get(), path, O_RDONLY);
    ASSERT_TRUE(r.ok()) << path << ": " << r.error().message;
    EXPECT_EQ(inode_of(r->get()), inner) << path;
  }
  // "up" itself is the root.
  auto up = sys::open_in_root(root_fd_.get(), "up", O_RDONLY | O_DIRECTORY);
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_EQ(inode_of(up->get()), inode_of(root_));
}

TEST_F(OpenInRootTest, CreatesInsideTheRootWithModeAndCloexec) {
  ASSERT_EQ(::mkdir((root_ + "/etc").c_str(), 0755), 0);
  mode_t old = ::umask(0);
  auto r = sys::open_in_root(root_fd_.get(), "escape/made", O_WRONLY | O_CREAT | O_EXCL, 0604);
  ::umask(old);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(inode_of(r->get()), inode_of(root_ + "/etc/made"));
  struct stat st {};
  ASSERT_EQ(::fstat(r->get(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0604u);
  EXPECT_EQ(::fcntl(r->get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  struct stat host {};
  EXPECT_NE(::stat("/etc/made", &host), 0);
}

TEST(OpenPath, AddsCloexecAndNamesThePathOnError) {
  auto r = sys::open_path("/dev/null", O_RDONLY);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(::fcntl(r->get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  auto bad = sys::open_path("/nonexistent/burrow", O_RDONLY);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ENOENT);
  EXPECT_EQ(bad.error().message, "open /nonexistent/burrow: No such file or directory");
}

TEST(Pidfd, SendSignalKillsAForkedChild) {
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    for (;;) ::pause();
  }
  auto fd = sys::pidfd_open(pid);
  if (!fd.ok()) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    FAIL() << fd.error().message;
  }
  EXPECT_EQ(::fcntl(fd->get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);  // pidfds are always cloexec
  auto st = sys::pidfd_send_signal(fd->get(), SIGKILL);
  EXPECT_TRUE(st.ok()) << st.error().message;
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);

  // The process is reaped: signalling through the pidfd reports it gone, never another process.
  auto again = sys::pidfd_send_signal(fd->get(), SIGKILL);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ESRCH);
  EXPECT_EQ(again.error().message, "pidfd_send_signal 9: No such process");
}

TEST(Pidfd, OpenOfAReapedPidIsEsrch) {
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(pid, nullptr, 0), pid);
  auto fd = sys::pidfd_open(pid);
  ASSERT_FALSE(fd.ok()) << "pid " << pid << " was reused already?";
  EXPECT_EQ(fd.error().code, ESRCH);
  EXPECT_EQ(fd.error().message, "pidfd_open " + std::to_string(pid) + ": No such process");
}

TEST(FdPath, NamesTheFdUnderProcSelf) {
  EXPECT_EQ(sys::fd_path(7), "/proc/self/fd/7");
  EXPECT_EQ(sys::fd_path(123), "/proc/self/fd/123");
}

}  // namespace
}  // namespace burrow
