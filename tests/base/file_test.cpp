#include "base/file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/fd.hpp"

namespace burrow {
namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/burrow-file-test.XXXXXX";
    const char* made = ::mkdtemp(tmpl);
    EXPECT_NE(made, nullptr);
    path_ = made ? made : "";
  }
  ~TempDir() {
    if (!path_.empty()) (void)file::remove_all(path_);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return names;
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

bool is_dir(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

TEST(FileWriteAtomic, CreatesWithTheGivenMode) {
  TempDir tmp;
  std::string path = tmp.path() + "/state.json";
  // A umask must not take bits away: the mode is exact.
  mode_t old = ::umask(077);
  auto st = file::write_atomic(path, "{\"a\":1}", 0644);
  ::umask(old);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(mode_of(path), 0644u);
  auto back = file::read(path);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, "{\"a\":1}");

  std::string secret = tmp.path() + "/secret";
  ASSERT_TRUE(file::write_atomic(secret, "x", 0600).ok());
  EXPECT_EQ(mode_of(secret), 0600u);
}

TEST(FileWriteAtomic, ReplacesAnExistingFileAndLeavesNoTempFile) {
  TempDir tmp;
  std::string path = tmp.path() + "/pid";
  ASSERT_TRUE(file::write_atomic(path, "a much longer first version\n").ok());
  struct stat before {};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  auto st = file::write_atomic(path, "2", 0640);
  ASSERT_TRUE(st.ok()) << st.error().message;
  auto back = file::read(path);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "2");  // no tail of the longer old contents
  EXPECT_EQ(mode_of(path), 0640u);
  struct stat after {};
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  EXPECT_NE(before.st_ino, after.st_ino);  // renamed over, not rewritten in place
  EXPECT_EQ(entries(tmp.path()), std::vector<std::string>{"pid"});
}

TEST(FileWriteAtomic, MissingDirectoryFailsNamingThePath) {
  TempDir tmp;
  std::string path = tmp.path() + "/missing/state.json";
  auto st = file::write_atomic(path, "x");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ENOENT);
  EXPECT_NE(st.error().message.find(path), std::string::npos) << st.error().message;
  EXPECT_EQ(st.error().message.rfind("create " + path + ".tmp.", 0), 0u) << st.error().message;
  const std::string tail = ": No such file or directory";
  ASSERT_GE(st.error().message.size(), tail.size());
  EXPECT_EQ(st.error().message.substr(st.error().message.size() - tail.size()), tail);
  EXPECT_EQ(entries(tmp.path()), std::vector<std::string>{});
}

TEST(FileRead, MissingFileIsEnoent) {
  TempDir tmp;
  std::string path = tmp.path() + "/nope";
  auto r = file::read(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ENOENT);
  EXPECT_EQ(r.error().message, "open " + path + ": No such file or directory");
}

TEST(FileRead, ReadsLargeAndEmptyFiles) {
  TempDir tmp;
  std::string big(100000, 'z');
  big[12345] = 'q';
  ASSERT_TRUE(file::write_atomic(tmp.path() + "/big", big).ok());
  auto r = file::read(tmp.path() + "/big");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, big);
  ASSERT_TRUE(file::write_atomic(tmp.path() + "/empty", "").ok());
  auto e = file::read(tmp.path() + "/empty");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e, "");
}

TEST(FileReadAt, RelativeToADirectoryFd) {
  TempDir tmp;
  ASSERT_TRUE(file::write_atomic(tmp.path() + "/f", "hello").ok());
  Fd dir(::open(tmp.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(dir.valid());
  auto r = file::read_at(dir.get(), "f");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "hello");
  ASSERT_TRUE(file::write_at(dir.get(), "f", "bye").ok());
  EXPECT_EQ(*file::read(tmp.path() + "/f"), "bye");
}

TEST(FileWrite, TruncatesAndDoesNotCreate) {
  TempDir tmp;
  std::string path = tmp.path() + "/f";
  ASSERT_TRUE(file::write_atomic(path, "0123456789").ok());
  ASSERT_TRUE(file::write(path, "ab").ok());
  EXPECT_EQ(*file::read(path), "ab");

  auto st = file::write(tmp.path() + "/absent", "x");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ENOENT);
  EXPECT_FALSE(exists(tmp.path() + "/absent"));
}

TEST(FileMkdirAll, CreatesNestedDirectoriesWithMode) {
  TempDir tmp;
  std::string deep = tmp.path() + "/a/b/c";
  mode_t old = ::umask(0);
  auto st = file::mkdir_all(deep, 0711);
  ::umask(old);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_TRUE(is_dir(tmp.path() + "/a"));
  EXPECT_TRUE(is_dir(tmp.path() + "/a/b"));
  EXPECT_TRUE(is_dir(deep));
  EXPECT_EQ(mode_of(tmp.path() + "/a"), 0711u);
  EXPECT_EQ(mode_of(deep), 0711u);
  // Existing directories, and a trailing slash, are fine.
  auto again = file::mkdir_all(deep + "/");
  EXPECT_TRUE(again.ok()) << again.error().message;
}

TEST(FileMkdirAll, FailsUnderARegularFile) {
  TempDir tmp;
  ASSERT_TRUE(file::write_atomic(tmp.path() + "/f", "x").ok());
  auto st = file::mkdir_all(tmp.path() + "/f/sub");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ENOTDIR);
  EXPECT_EQ(st.error().message, "mkdir " + tmp.path() + "/f/sub: Not a directory");
}

// Regression test (found by this suite, fixed in runtime/base/file.cpp).
TEST(FileMkdirAll, FailsWhenThePathIsARegularFile) {
  TempDir tmp;
  std::string path = tmp.path() + "/f";
  ASSERT_TRUE(file::write_atomic(path, "x").ok());
  auto st = file::mkdir_all(path);
  EXPECT_FALSE(st.ok());
}

TEST(FileRemoveAll, MissingPathSucceeds) {
  TempDir tmp;
  auto st = file::remove_all(tmp.path() + "/never/was");
  EXPECT_TRUE(st.ok()) << st.error().message;
}

TEST(FileRemoveAll, RemovesATree) {
  TempDir tmp;
  std::string root = tmp.path() + "/tree";
  ASSERT_TRUE(file::mkdir_all(root + "/x/y").ok());
  ASSERT_TRUE(file::write_atomic(root + "/x/y/f", "1").ok());
  ASSERT_TRUE(file::write_atomic(root + "/g", "2").ok());
  ASSERT_EQ(::symlink("/etc", (root + "/link").c_str()), 0);
  auto st = file::remove_all(root);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_FALSE(exists(root));
  EXPECT_TRUE(is_dir("/etc"));  // the symlink was removed, not followed
}

// Runs `remove_all(parent)` in a child with its own mount namespace in which `parent/mnt` is a
// tmpfs holding a file. Returns the child's exit status: 0 when the file in the mount survived.
int remove_all_across_mount(const std::string& parent) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::unshare(CLONE_NEWNS) < 0) ::_exit(10);
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) ::_exit(11);
    std::string mnt = parent + "/mnt";
    if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, nullptr) < 0) ::_exit(12);
    if (!file::write_atomic(mnt + "/keep", "k").ok()) ::_exit(13);
    (void)file::remove_all(parent);
    struct stat st {};
    ::_exit(::stat((mnt + "/keep").c_str(), &st) == 0 ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

// Regression test (found by this suite, fixed in runtime/base/file.cpp).
TEST(FileRemoveAll, DoesNotCrossMountPoints) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for a mount namespace and a tmpfs";
  TempDir tmp;
  std::string parent = tmp.path() + "/p";
  ASSERT_TRUE(file::mkdir_all(parent + "/mnt").ok());
  EXPECT_EQ(remove_all_across_mount(parent), 0) << "the file inside the mount was deleted";
}

}  // namespace
}  // namespace burrow
