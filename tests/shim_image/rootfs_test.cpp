// The rootless path, which any user can run: layers unpacked without privilege and flattened
// (copy mode), or mounted when the caller turns out to be root (kAuto).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "image/image.hpp"
#include "image/import.hpp"
#include "image/layers.hpp"
#include "image/rootfs.hpp"
#include "store_fixture.hpp"

namespace burrow::shim::image {
namespace {

using namespace test;

class RootfsAnyUser : public StoreTest {
 protected:
  std::vector<std::string> unpack(const TestImage& image, const std::string& name) {
    auto names = import_archive(store(), put(name + ".tar", docker_archive(image, {name})));
    EXPECT_TRUE(names) << names.error().message;
    auto resolved = resolve(store(), name);
    EXPECT_TRUE(resolved) << resolved.error().message;
    if (!resolved) return {};
    auto dirs = unpack_layers(store(), *resolved, {});
    EXPECT_TRUE(dirs) << dirs.error().message;
    return dirs ? *dirs : std::vector<std::string>{};
  }
};

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

TEST(DefaultStoreDir, ByUser) {
  if (::geteuid() == 0) {
    EXPECT_EQ(default_store_dir(), "/var/lib/burrow/images");
  } else {
    EXPECT_TRUE(default_store_dir().ends_with("/burrow/images")) << default_store_dir();
  }
}

TEST_F(RootfsAnyUser, CacheKeyNamesTheShiftAndPrivilege) {
  std::string digest = "sha256:" + std::string(64, 'a');
  EXPECT_EQ(layer_cache_key(digest, {}, Privilege::kHostRoot), std::string(64, 'a') + "-0-0-0");
  EXPECT_EQ(layer_cache_key(digest, {100000, 200000, 65536}, Privilege::kUnprivileged),
            std::string(64, 'a') + "-100000-200000-65536-user");
}

TEST_F(RootfsAnyUser, CopyModeAppliesWhiteoutsAndOpaqueDirs) {
  auto image = TestImage::of(
      {{dir("etc/"), file("etc/a", "a"), file("etc/b", "b"), dir("d/"), file("d/x", "x"),
        file("f", "1"), hardlink("f2", "f"), symlink("link", "/etc/b"), dir("ro/", 0555),
        file("ro/in", "r")},
       {file("etc/.wh.a", ""), dir("d/"), file("d/.wh..wh..opq", ""), file("d/y", "y"),
        dir("ro/", 0555), file("ro/added", "later"), device("dev-null", TarEntry::kChar, 1, 3)}});
  auto layers = unpack(image, "copy");
  ASSERT_EQ(layers.size(), 2u);
  if (current_privilege() != Privilege::kHostRoot) {
    EXPECT_TRUE(layers[0].ends_with("-user")) << layers[0];
    EXPECT_FALSE(exists(layers[1] + "/dev-null"));  // no devices without privilege
  }
  auto rootfs = mount_rootfs(layers, dir_ + "/scratch", dir_ + "/unused-target", RootfsMode::kCopy);
  ASSERT_TRUE(rootfs) << rootfs.error().message;
  const std::string& r = rootfs->path();
  EXPECT_EQ(r, dir_ + "/scratch/rootfs");
  EXPECT_FALSE(exists(r + "/etc/a"));
  EXPECT_EQ(read_file(r + "/etc/b"), "b");
  EXPECT_FALSE(exists(r + "/d/x"));
  EXPECT_EQ(read_file(r + "/d/y"), "y");
  struct stat f {
  }, f2{};
  ASSERT_EQ(::lstat((r + "/f").c_str(), &f), 0);
  ASSERT_EQ(::lstat((r + "/f2").c_str(), &f2), 0);
  EXPECT_EQ(f.st_ino, f2.st_ino);  // hard links stay linked (to each other, not to the cache)
  struct stat cached {};
  ASSERT_EQ(::lstat((layers[0] + "/f").c_str(), &cached), 0);
  EXPECT_NE(f.st_ino, cached.st_ino);
  EXPECT_EQ(read_file(r + "/ro/in"), "r");
  EXPECT_EQ(read_file(r + "/ro/added"), "later");  // written into a dir a lower layer made 0555
  // Writing in the copy leaves the cache alone.
  write_file(r + "/f", "changed");
  EXPECT_EQ(read_file(layers[0] + "/f"), "1");
  auto released = rootfs->release();
  ASSERT_TRUE(released) << released.error().message;
  EXPECT_FALSE(exists(r));
}

TEST_F(RootfsAnyUser, AutoModeMountsOrCopies) {
  auto layers =
      unpack(TestImage::of({{file("a", "1")}, {file(".wh.a", ""), file("b", "2")}}), "auto");
  std::string target = dir_ + "/target";
  ASSERT_EQ(::mkdir(target.c_str(), 0755), 0);
  auto rootfs = mount_rootfs(layers, dir_ + "/scratch", target, RootfsMode::kAuto);
  if (!rootfs && rootfs.error().code == ENODEV) GTEST_SKIP() << "no overlayfs in this kernel";
  ASSERT_TRUE(rootfs) << rootfs.error().message;
  if (current_privilege() != Privilege::kHostRoot) {
    EXPECT_EQ(rootfs->mode(), RootfsMode::kCopy);
    EXPECT_FALSE(exists(dir_ + "/scratch/upper"));  // the failed overlay attempt left nothing
  }
  EXPECT_EQ(rootfs->path(),
            rootfs->mode() == RootfsMode::kCopy ? dir_ + "/scratch/rootfs" : target);
  EXPECT_FALSE(exists(rootfs->path() + "/a"));
  EXPECT_EQ(read_file(rootfs->path() + "/b"), "2");
  ASSERT_TRUE(rootfs->release());
}

TEST_F(RootfsAnyUser, NoLayersIsAnError) {
  auto rootfs = mount_rootfs({}, dir_ + "/scratch", dir_, RootfsMode::kCopy);
  ASSERT_FALSE(rootfs);
  EXPECT_NE(rootfs.error().message.find("no layers"), std::string::npos);
}

}  // namespace
}  // namespace burrow::shim::image
