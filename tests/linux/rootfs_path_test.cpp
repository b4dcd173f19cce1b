#include "linux/rootfs_path.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/syscalls.hpp"

namespace burrow::linux {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "burrow-rootfs-path-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(RootfsPath, Clean) {
  EXPECT_EQ(clean_container_path("/a//b/./c/"), "/a/b/c");
  EXPECT_EQ(clean_container_path("a/../.."), "/");
  EXPECT_EQ(clean_container_path("/../etc/x"), "/etc/x");
  EXPECT_EQ(clean_container_path(""), "/");
  EXPECT_EQ(split_parent("/dev/net/tun"), (std::pair<std::string, std::string>{"/dev/net", "tun"}));
  EXPECT_EQ(split_parent("/dev"), (std::pair<std::string, std::string>{"/", "dev"}));
}

struct RootfsPathInRoot : ::testing::Test {
  TempDir host;  // stands for a host directory outside the rootfs
  TempDir rootfs;
  Fd root;
  void SetUp() override {
    root = std::move(sys::open_path(rootfs.path(), O_PATH | O_DIRECTORY).value());
  }
  bool is_dir(const std::string& p) { return fs::is_directory(fs::symlink_status(p)); }
};

TEST_F(RootfsPathInRoot, CreatesMissingDirectoriesAndFiles) {
  auto dir = ensure_in_root(root.get(), "/a/b/c", Leaf::directory);
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  EXPECT_TRUE(is_dir(rootfs.path() + "/a/b/c"));
  auto file = ensure_in_root(root.get(), "/x/y/file", Leaf::file);
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(rootfs.path() + "/x/y/file")));
  auto parent = ensure_parent_in_root(root.get(), "/dev/net/tun");
  ASSERT_TRUE(parent.ok());
  EXPECT_TRUE(is_dir(rootfs.path() + "/dev/net"));
  EXPECT_FALSE(fs::exists(rootfs.path() + "/dev/net/tun"));
}

TEST_F(RootfsPathInRoot, AbsoluteSymlinkOutIsFollowedInsideRoot) {
  fs::create_directory(rootfs.path() + "/mnt");
  fs::create_directory_symlink(host.path(), rootfs.path() + "/mnt/link");
  auto fd = ensure_in_root(root.get(), "/mnt/link/sub", Leaf::directory);
  ASSERT_TRUE(fd.ok()) << fd.error().message;
  EXPECT_TRUE(is_dir(rootfs.path() + host.path() + "/sub"));
  EXPECT_TRUE(fs::is_empty(host.path()));
}

TEST_F(RootfsPathInRoot, DotDotSymlinkOutIsFollowedInsideRoot) {
  fs::create_directory(rootfs.path() + "/mnt");
  std::string up = "../../../../../../../../.." + host.path();
  fs::create_directory_symlink(up, rootfs.path() + "/mnt/up");
  auto fd = ensure_in_root(root.get(), "/mnt/up", Leaf::file);
  ASSERT_TRUE(fd.ok()) << fd.error().message;
  EXPECT_TRUE(fs::is_regular_file(rootfs.path() + host.path()));
  EXPECT_TRUE(fs::is_empty(host.path()));
}

TEST_F(RootfsPathInRoot, ExistingPathIsOpened) {
  fs::create_directories(rootfs.path() + "/etc");
  auto fd = ensure_in_root(root.get(), "/etc", Leaf::directory);
  ASSERT_TRUE(fd.ok());
  struct stat a {
  }, b{};
  ASSERT_EQ(::fstat(fd->get(), &a), 0);
  ASSERT_EQ(::stat((rootfs.path() + "/etc").c_str(), &b), 0);
  EXPECT_EQ(a.st_ino, b.st_ino);
}

TEST_F(RootfsPathInRoot, SymlinkLoopFails) {
  fs::create_symlink("/loop", rootfs.path() + "/loop");
  auto fd = ensure_in_root(root.get(), "/loop/x", Leaf::directory);
  ASSERT_FALSE(fd.ok());
  EXPECT_EQ(fd.error().code, ELOOP);
}

TEST_F(RootfsPathInRoot, FileInTheWayFails) {
  { std::ofstream(rootfs.path() + "/file") << "x"; }
  auto fd = ensure_in_root(root.get(), "/file/sub", Leaf::directory);
  ASSERT_FALSE(fd.ok());
  EXPECT_EQ(fd.error().code, ENOTDIR);
  EXPECT_EQ(fd.error().message, "open /file/sub: Not a directory");
}

}  // namespace
}  // namespace burrow::linux
