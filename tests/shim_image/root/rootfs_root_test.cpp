// The copy-on-write rootfs as root: overlay and copy modes show the same tree, writes never
// reach the layer cache, cleanup leaves nothing mounted or behind, long layer lists mount.
#include <sys/mount.h>

#include "root_fixture.hpp"

namespace burrow::shim::image {
namespace {

using namespace test;

// A small system tree with several owners, modes and kinds of file.
TestImage owned_tree() {
  return TestImage::of(
      {{dir("etc/"), file("etc/passwd", "root:x:0:0::/root:/bin/sh\n"),
        file("etc/shadow", "root:*:1::::::\n", 0640), owned(file("etc/hostname", "box\n"), 0, 0),
        dir("usr/bin/"), file("usr/bin/tool", "#!/bin/sh\n", 0755), symlink("bin", "usr/bin"),
        owned(dir("home/u/", 0700), 1000, 1000), owned(file("home/u/.profile", "x"), 1000, 1000),
        dir("var/lib/"), owned(file("var/lib/db", "data", 0600), 999, 999)},
       {file("big", std::string(100000, 'b')), device("null", TarEntry::kChar, 1, 3)}});
}

class RootfsTest : public RootStoreTest {
 protected:
  // Mounts, skipping the test when this kernel has no overlayfs.
  std::optional<Rootfs> mount(const std::vector<std::string>& layers, const std::string& name,
                              RootfsMode mode = RootfsMode::kOverlay) {
    auto rootfs = mount_rootfs(layers, dir_ + "/scratch-" + name, make_dir("target-" + name), mode);
    if (!rootfs && rootfs.error().code == ENODEV) return std::nullopt;
    EXPECT_TRUE(rootfs) << rootfs.error().message;
    if (!rootfs) return std::nullopt;
    return std::move(*rootfs);
  }

  TestImage layered() {
    auto image = TestImage::of(
        {{dir("etc/"), file("etc/a", "a"), file("etc/b", "b"), dir("d/"), file("d/x", "x"),
          dir("gone/"), file("gone/deep", "1"), file("bin/tool", "v1", 0755)},
         {file("etc/.wh.a", ""), dir("d/"), file("d/.wh..wh..opq", ""), file("d/y", "y"),
          file(".wh.gone", ""), file("bin/tool", "v2", 0755)}});
    return image;
  }

  void expect_layered_view(const std::string& root) {
    EXPECT_FALSE(exists(root + "/etc/a")) << root;
    EXPECT_EQ(read_file(root + "/etc/b"), "b");
    EXPECT_FALSE(exists(root + "/d/x"));
    EXPECT_EQ(read_file(root + "/d/y"), "y");
    EXPECT_FALSE(exists(root + "/gone"));
    EXPECT_EQ(read_file(root + "/bin/tool"), "v2");
  }
};

TEST_F(RootfsTest, OverlayShowsDeletionsAndOpaqueDirs) {
  auto layers = unpacked(layered(), "layered");
  auto rootfs = mount(layers, "o");
  if (!rootfs) GTEST_SKIP() << "no overlayfs in this kernel";
  EXPECT_EQ(rootfs->mode(), RootfsMode::kOverlay);
  EXPECT_TRUE(mounted_at(rootfs->path()));
  expect_layered_view(rootfs->path());
}

TEST_F(RootfsTest, CopyModeShowsTheSameTree) {
  auto layers = unpacked(layered(), "layered");
  auto rootfs = mount(layers, "c", RootfsMode::kCopy);
  ASSERT_TRUE(rootfs);
  EXPECT_EQ(rootfs->mode(), RootfsMode::kCopy);
  EXPECT_EQ(rootfs->path(), dir_ + "/scratch-c/rootfs");
  EXPECT_FALSE(mounted_at(rootfs->path()));
  expect_layered_view(rootfs->path());
  // No whiteout devices or overlay xattrs leak into a flattened tree.
  EXPECT_EQ(xattr_of(rootfs->path() + "/d", "trusted.overlay.opaque"), "");
  // Both modes agree on every file of the tree.
  auto overlay = mount(layers, "o2");
  if (overlay) {
    // Overlay reports its own link counts, sizes and times for merged directories: compare
    // type, mode, owner, content and link targets.
    auto essence = [](std::map<std::string, std::string> tree) {
      tree.erase(".");
      for (auto& [path, desc] : tree) {
        auto n = desc.find(" n"), r = desc.find(" r");
        desc = desc.substr(0, n) + desc.substr(desc.find(' ', r + 1) == std::string::npos
                                                   ? desc.size()
                                                   : desc.find(' ', r + 1));
      }
      return tree;
    };
    EXPECT_EQ(essence(tree_state(rootfs->path())), essence(tree_state(overlay->path())));
  }
  ASSERT_TRUE(rootfs->release());
  EXPECT_FALSE(exists(dir_ + "/scratch-c/rootfs"));
}

TEST_F(RootfsTest, RootOfTheRootfsBelongsToTheShiftedRoot) {
  auto layers = unpacked(TestImage::of({{file("a", "1")}}), "sroot", {300000, 300000, 65536});
  auto rootfs = mount(layers, "s");
  if (!rootfs) GTEST_SKIP() << "no overlayfs in this kernel";
  EXPECT_EQ(lstat_of(rootfs->path()).st_uid, 300000u);
  EXPECT_EQ(lstat_of(rootfs->path() + "/a").st_uid, 300000u);
}

TEST_F(RootfsTest, WritesThroughTheOverlayLeaveTheCacheUnchanged) {
  auto lower = owned_tree();
  auto layers = unpacked(lower, "cow", {100000, 100000, 65536});
  auto before = tree_state(store().layers_dir());
  auto rootfs = mount(layers, "w");
  if (!rootfs) GTEST_SKIP() << "no overlayfs in this kernel";
  const std::string& r = rootfs->path();
  write_file(r + "/new-file", "new");
  write_file(r + "/etc/passwd", read_file(r + "/etc/passwd") + "evil:x:0:0::/:/bin/sh\n");
  { std::ofstream(r + "/usr/bin/tool", std::ios::app) << "appended"; }
  ASSERT_EQ(::chmod((r + "/usr/bin/tool").c_str(), 06777), 0);
  ASSERT_EQ(::chown((r + "/etc/hostname").c_str(), 4242, 4242), 0);
  ASSERT_EQ(::unlink((r + "/etc/shadow").c_str()), 0);
  std::filesystem::remove_all(r + "/var");
  // (Renaming a lower directory is EXDEV without redirect_dir; a file is copied up.)
  std::filesystem::rename(r + "/home/u/.profile", r + "/moved-profile");
  ASSERT_EQ(::lsetxattr((r + "/etc/hostname").c_str(), "user.x", "1", 1, 0), 0);
  ASSERT_EQ(::symlink("/etc/passwd", (r + "/usr/bin/tool2").c_str()), 0);
  ASSERT_EQ(::truncate((r + "/big").c_str(), 0), 0);
  // The container sees its writes...
  EXPECT_FALSE(exists(r + "/etc/shadow"));
  EXPECT_NE(read_file(r + "/etc/passwd").find("evil"), std::string::npos);
  EXPECT_EQ(read_file(r + "/big"), "");
  // ...and the cache does not, before or after unmounting.
  EXPECT_EQ(tree_state(store().layers_dir()), before);
  ASSERT_TRUE(rootfs->release());
  EXPECT_EQ(tree_state(store().layers_dir()), before);
  // The cached layers still hash to their digests' content (unpacked again into a fresh dir).
  auto resolved = resolve(store(), "cow");
  ASSERT_TRUE(resolved);
  std::string again = make_dir("again");
  ASSERT_TRUE(unpack_layer(store().blob_path(resolved->layers[0].digest), again,
                           {100000, 100000, 65536}, Privilege::kHostRoot, store().limits(),
                           resolved->layers[0].digest));
  auto fresh = tree_state(again), cached = tree_state(layers[0]);
  EXPECT_EQ(fresh, cached);
}

TEST_F(RootfsTest, ReleaseLeavesNoMountAndNoDirectories) {
  auto layers = unpacked(TestImage::of({{file("a", "1")}, {file("b", "2")}}), "clean");
  std::string target;
  {
    auto rootfs = mount(layers, "r");
    if (!rootfs) GTEST_SKIP() << "no overlayfs in this kernel";
    target = rootfs->path();
    write_file(target + "/written", "x");
    EXPECT_TRUE(mounted_at(target));
    EXPECT_TRUE(exists(dir_ + "/scratch-r/upper/written"));
    ASSERT_TRUE(rootfs->release());
    EXPECT_FALSE(mounted_at(target));
    EXPECT_FALSE(exists(dir_ + "/scratch-r/upper"));
    EXPECT_FALSE(exists(dir_ + "/scratch-r/work"));
    ASSERT_TRUE(rootfs->release());  // idempotent
  }
  // The destructor alone cleans up too.
  {
    auto rootfs = mount(layers, "d");
    ASSERT_TRUE(rootfs);
    target = rootfs->path();
    EXPECT_TRUE(mounted_at(target));
  }
  EXPECT_FALSE(mounted_at(target));
  EXPECT_FALSE(exists(dir_ + "/scratch-d/upper"));
  EXPECT_FALSE(exists(dir_ + "/scratch-d/work"));
  EXPECT_TRUE(std::filesystem::is_empty(target));
  // A used scratch dir is refused rather than shared.
  std::filesystem::create_directories(dir_ + "/scratch-x/upper");
  auto refused = mount_rootfs(layers, dir_ + "/scratch-x", make_dir("target-x"));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("already exists"), std::string::npos);
  EXPECT_FALSE(mounted_at(dir_ + "/target-x"));
}

// Layer dirs with long names, enough of them that lowerdir=<paths> exceeds a page (the fd
// names fit), and then so many that even the fd names do not (lowerdir+).
TEST_F(RootfsTest, LongLowerdirLists) {
  for (int count : {120, 300}) {
    std::vector<std::string> layers;
    for (int i = 0; i < count; ++i) {
      std::string d = dir_ + "/layers-" + std::to_string(count) + "/" + std::string(40, 'l') +
                      std::to_string(i);
      std::filesystem::create_directories(d);
      layers.push_back(d);
      write_file(d + "/layer", std::to_string(i));
      write_file(d + "/only" + std::to_string(i), "x");
    }
    auto rootfs = mount_rootfs(layers, dir_ + "/scratch-" + std::to_string(count),
                               make_dir("target-" + std::to_string(count)));
    if (!rootfs && rootfs.error().code == ENODEV) GTEST_SKIP() << "no overlayfs in this kernel";
    if (!rootfs && count == 300 && rootfs.error().message.find("lowerdir+") != std::string::npos)
      GTEST_SKIP() << "kernel before 6.8: " << rootfs.error().message;
    ASSERT_TRUE(rootfs) << rootfs.error().message;
    EXPECT_EQ(read_file(rootfs->path() + "/layer"), std::to_string(count - 1)) << count;
    EXPECT_TRUE(exists(rootfs->path() + "/only0"));
    EXPECT_TRUE(exists(rootfs->path() + "/only" + std::to_string(count - 1)));
  }
}

}  // namespace
}  // namespace burrow::shim::image
