// The layer cache as root: ownership shifts, whiteouts, xattrs, devices, the digest check and
// concurrent unpackers.
#include <sys/wait.h>

#include "root_fixture.hpp"

namespace burrow::shim::image {
namespace {

using namespace test;

class Unpack : public RootStoreTest {};

TEST_F(Unpack, WhiteoutsBecomeOverlayWhiteouts) {
  auto image = TestImage::of(
      {{dir("etc/"), file("etc/a", "a"), file("etc/b", "b"), dir("d/"), file("d/x", "x")},
       {file("etc/.wh.a", ""), dir("d/"), file("d/.wh..wh..opq", ""), file("d/y", "y"),
        file(".wh..wh.plnk", "")}});
  auto dirs = unpacked(image, "wh");
  ASSERT_EQ(dirs.size(), 2u);
  auto st = lstat_of(dirs[1] + "/etc/a");
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, makedev(0, 0));
  EXPECT_FALSE(exists(dirs[1] + "/etc/.wh.a"));
  EXPECT_FALSE(exists(dirs[1] + "/d/.wh..wh..opq"));
  EXPECT_FALSE(exists(dirs[1] + "/.wh..wh.plnk"));
  EXPECT_EQ(xattr_of(dirs[1] + "/d", "trusted.overlay.opaque"), "y");
  EXPECT_EQ(xattr_of(dirs[0] + "/d", "trusted.overlay.opaque"), "");
  // Cache keys: <hex>-<uid base>-<gid base>-<size>.
  auto resolved = resolve(store(), "wh");
  ASSERT_TRUE(resolved);
  EXPECT_EQ(dirs[0],
            store().layers_dir() + "/" + digest_hex(resolved->layers[0].digest) + "-0-0-0");
}

TEST_F(Unpack, WhiteoutAndEntryOfTheSameNameInOneLayerKeepTheEntry) {
  auto image = TestImage::of(
      {{file("a", "lower"), file("b", "lower")},
       {file(".wh.a", ""), file("a", "upper"), file("b", "upper"), file(".wh.b", "")}});
  auto dirs = unpacked(image, "same");
  ASSERT_EQ(dirs.size(), 2u);
  EXPECT_EQ(read_file(dirs[1] + "/a"), "upper");
  EXPECT_EQ(read_file(dirs[1] + "/b"), "upper");
}

TEST_F(Unpack, ShiftedOwnership) {
  auto cap = std::string(
      "\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
      "\x00\x00\x00\x00",
      20);  // v2, effective, permitted = CAP_NET_RAW
  auto ping = owned(file("bin/ping", "elf", 04755), 0, 0);
  ping.xattrs = {{"security.capability", cap}};
  auto image = TestImage::of(
      {{owned(dir("home/"), 0, 0), owned(dir("home/user/", 0700), 1000, 1000),
        owned(file("home/user/f", "x", 0600), 1000, 1001), owned(dir("var/www/"), 33, 33),
        owned(symlink("www", "var/www"), 33, 33), ping}});
  IdShift shift{100000, 200000, 65536};
  auto dirs = unpacked(image, "shifted", shift);
  ASSERT_EQ(dirs.size(), 1u);
  const auto& l = dirs[0];
  EXPECT_TRUE(l.ends_with("-100000-200000-65536")) << l;
  EXPECT_EQ(lstat_of(l).st_uid, 100000u);  // implicit root dir: the container's root
  EXPECT_EQ(lstat_of(l + "/home").st_uid, 100000u);
  EXPECT_EQ(lstat_of(l + "/home/user").st_uid, 101000u);
  EXPECT_EQ(lstat_of(l + "/home/user").st_gid, 201000u);
  EXPECT_EQ(lstat_of(l + "/home/user").st_mode & 07777, 0700u);
  EXPECT_EQ(lstat_of(l + "/home/user/f").st_gid, 201001u);
  EXPECT_EQ(lstat_of(l + "/var/www").st_uid, 100033u);
  EXPECT_EQ(lstat_of(l + "/www").st_uid, 100033u);
  auto st = lstat_of(l + "/bin/ping");
  EXPECT_EQ(st.st_uid, 100000u);
  EXPECT_EQ(st.st_mode & 07777, 04755u);  // set-uid survives the chown (applied after it)
  // The v2 capability became v3 with root id 100000: effective only in the container's userns.
  std::string v3 = xattr_of(l + "/bin/ping", "security.capability");
  ASSERT_EQ(v3.size(), 24u);
  EXPECT_EQ(static_cast<uint8_t>(v3[3]), 3u);
  EXPECT_EQ(v3.substr(4, 16), cap.substr(4, 16));
  uint32_t rootid = 0;
  for (int i = 3; i >= 0; --i) rootid = (rootid << 8) | static_cast<uint8_t>(v3[20 + i]);
  EXPECT_EQ(rootid, 100000u);

  // The identity shift keeps the tar's ids, and is another cache entry.
  auto resolved = resolve(store(), "shifted");
  ASSERT_TRUE(resolved);
  auto plain = unpack_layers(store(), *resolved, {});
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_NE((*plain)[0], l);
  EXPECT_EQ(lstat_of((*plain)[0] + "/home/user").st_uid, 1000u);
  EXPECT_EQ(xattr_of((*plain)[0] + "/bin/ping", "security.capability"), cap);
}

TEST_F(Unpack, IdOutsideTheShiftIsRefused) {
  auto image = TestImage::of({{owned(file("big", "x"), 70000, 0)}});
  ASSERT_TRUE(import_archive(store(), put("big.tar", docker_archive(image, {"big"}))));
  auto resolved = resolve(store(), "big");
  ASSERT_TRUE(resolved);
  auto dirs = unpack_layers(store(), *resolved, {100000, 100000, 65536});
  ASSERT_FALSE(dirs);
  EXPECT_NE(dirs.error().message.find("entry 'big': owner 70000:0 is outside"), std::string::npos)
      << dirs.error().message;
  EXPECT_TRUE(std::filesystem::is_empty(store().layers_dir()));
  EXPECT_TRUE(std::filesystem::is_empty(store().tmp_dir()));
}

TEST_F(Unpack, XattrsDevicesLinksAndTimesAreKept) {
  auto f = file("etc/f", "data");
  f.xattrs = {
      {"user.note", "kept"}, {"trusted.overlay.opaque", "y"}, {"trusted.overlay.redirect", "/x"}};
  auto image = TestImage::of(
      {{dir("dev/"), device("dev/null", TarEntry::kChar, 1, 3),
        device("dev/loop9", TarEntry::kBlock, 7, 9, 0660),
        device("run.fifo", TarEntry::kFifo, 0, 0, 0600), f, hardlink("etc/f2", "etc/f"),
        symlink("abs", "/etc/f"), dir("ro/", 0555), file("ro/inside", "x")}});
  auto dirs = unpacked(image, "devs");
  ASSERT_EQ(dirs.size(), 1u);
  const auto& l = dirs[0];
  auto null = lstat_of(l + "/dev/null");
  EXPECT_TRUE(S_ISCHR(null.st_mode));
  EXPECT_EQ(null.st_rdev, makedev(1, 3));
  EXPECT_EQ(null.st_mode & 07777, 0666u);
  EXPECT_TRUE(S_ISBLK(lstat_of(l + "/dev/loop9").st_mode));
  EXPECT_TRUE(S_ISFIFO(lstat_of(l + "/run.fifo").st_mode));
  EXPECT_EQ(xattr_of(l + "/etc/f", "user.note"), "kept");
  // Overlay attributes in a tar are never applied: they would forge opaque dirs or redirects.
  EXPECT_EQ(xattr_of(l + "/etc/f", "trusted.overlay.opaque"), "");
  EXPECT_EQ(xattr_of(l + "/etc/f", "trusted.overlay.redirect"), "");
  EXPECT_EQ(lstat_of(l + "/etc/f").st_ino, lstat_of(l + "/etc/f2").st_ino);
  EXPECT_EQ(std::filesystem::read_symlink(l + "/abs"), "/etc/f");
  EXPECT_EQ(lstat_of(l + "/etc/f").st_mtim.tv_sec, 1700000000);
  EXPECT_EQ(lstat_of(l + "/ro").st_mode & 07777, 0555u);
  EXPECT_EQ(lstat_of(l + "/ro").st_mtim.tv_sec, 1700000000);  // set after its children
  EXPECT_EQ(read_file(l + "/ro/inside"), "x");
}

TEST_F(Unpack, HostileLayerEntriesAreRefusedByName) {
  struct Case {
    std::vector<TarEntry> entries;
    std::string message;
  };
  std::vector<Case> cases = {
      {{file("../escape", "x")}, "entry '../escape': path has a '..' component"},
      {{symlink("etc", "/etc"), file("etc/passwd", "root::0:0::/:/bin/sh")},
       "entry 'etc/passwd': path goes through symlink 'etc'"},
      {{dir("a/"), symlink("a/up", "../.."), file("a/up/x", "x")},
       "entry 'a/up/x': path goes through symlink 'a/up'"},
      {{symlink("l", "/etc/shadow"), hardlink("h", "l/x")}, "entry 'h': hard link"},
  };
  int n = 0;
  for (const auto& c : cases) {
    std::string name = "hostile" + std::to_string(n++);
    auto image = TestImage::of({c.entries});
    ASSERT_TRUE(import_archive(store(), put(name + ".tar", docker_archive(image, {name}))));
    auto resolved = resolve(store(), name);
    ASSERT_TRUE(resolved);
    auto dirs = unpack_layers(store(), *resolved, {});
    ASSERT_FALSE(dirs) << name;
    EXPECT_NE(dirs.error().message.find(c.message), std::string::npos) << dirs.error().message;
  }
  EXPECT_FALSE(exists(dir_ + "/escape"));
  EXPECT_TRUE(std::filesystem::is_empty(store().layers_dir()));
  EXPECT_TRUE(std::filesystem::is_empty(store().tmp_dir()));
}

TEST_F(Unpack, DamagedBlobIsNotUnpacked) {
  auto image = TestImage::of({{file("a", std::string(4096, 'a'))}});
  ASSERT_TRUE(import_archive(store(), put("dmg.tar", docker_archive(image, {"dmg"}))));
  auto resolved = resolve(store(), "dmg");
  ASSERT_TRUE(resolved);
  std::string blob = store().blob_path(resolved->layers[0].digest);
  std::string data = read_file(blob);
  data[600] ^= 1;  // inside the file's content: the tar still reads
  ::chmod(blob.c_str(), 0644);
  write_file(blob, data);
  auto dirs = unpack_layers(store(), *resolved, {});
  ASSERT_FALSE(dirs);
  EXPECT_NE(dirs.error().message.find("digest mismatch"), std::string::npos)
      << dirs.error().message;
  EXPECT_TRUE(std::filesystem::is_empty(store().layers_dir()));
}

TEST_F(Unpack, GzipLayersAndTheCacheIsReused) {
  auto image = TestImage::of({{file("a", "1")}, {file("b", "2")}}, Compression::kGzip);
  ASSERT_TRUE(import_archive(store(), put("gz.tar", docker_archive(image, {"gz"}))));
  auto resolved = resolve(store(), "gz");
  ASSERT_TRUE(resolved);
  auto first = unpack_layers(store(), *resolved, {});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(read_file((*first)[1] + "/b"), "2");
  auto inode = lstat_of((*first)[0]).st_ino;
  auto again = unpack_layers(store(), *resolved, {});
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *first);
  EXPECT_EQ(lstat_of((*again)[0]).st_ino, inode);
}

TEST_F(Unpack, ConcurrentUnpackersShareOneCacheEntry) {
  std::vector<TarEntry> many;
  for (int i = 0; i < 300; ++i)
    many.push_back(file("f" + std::to_string(i), std::string(1000, 'x')));
  auto image = TestImage::of({many, {file("top", "t")}});
  ASSERT_TRUE(import_archive(store(), put("con.tar", docker_archive(image, {"con"}))));
  std::vector<pid_t> pids;
  for (int i = 0; i < 4; ++i) {
    pid_t pid = ::fork();
    if (pid == 0) {
      auto s = Store::open(store().root());
      auto r = s ? resolve(*s, "con") : Result<Image>(s.error());
      bool ok = r && unpack_layers(*s, *r, {}).ok();
      ::_exit(ok ? 0 : 1);
    }
    pids.push_back(pid);
  }
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  size_t entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(store().layers_dir())) {
    ++entries;
    (void)e;
  }
  EXPECT_EQ(entries, 2u);
  EXPECT_TRUE(std::filesystem::is_empty(store().tmp_dir()));
}

}  // namespace
}  // namespace burrow::shim::image
