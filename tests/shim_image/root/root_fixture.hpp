// Root tests of the layer cache and rootfs: a store in a temp dir, helpers to look at trees.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "../store_fixture.hpp"
#include "base/file.hpp"
#include "image/image.hpp"
#include "image/import.hpp"
#include "image/layers.hpp"
#include "image/rootfs.hpp"

namespace burrow::shim::image::test {

class RootStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    if (current_privilege() != Privilege::kHostRoot)
      GTEST_SKIP() << "needs root in the initial user namespace (chown, mknod, trusted xattrs)";
    StoreTest::SetUp();
  }

  // Imports a docker archive of `image` as `name` and unpacks it with `shift`.
  std::vector<std::string> unpacked(const TestImage& image, const std::string& name,
                                    IdShift shift = {}) {
    auto names = import_archive(store(), put(name + ".tar", docker_archive(image, {name})));
    EXPECT_TRUE(names) << names.error().message;
    auto resolved = resolve(store(), name);
    EXPECT_TRUE(resolved) << resolved.error().message;
    if (!resolved) return {};
    auto dirs = unpack_layers(store(), *resolved, shift);
    EXPECT_TRUE(dirs) << dirs.error().message;
    return dirs ? *dirs : std::vector<std::string>{};
  }

  std::string make_dir(const std::string& name) {
    std::string path = dir_ + "/" + name;
    std::filesystem::create_directories(path);
    return path;
  }
};

inline TarEntry owned(TarEntry e, int64_t uid, int64_t gid) {
  e.uid = uid;
  e.gid = gid;
  return e;
}

inline struct stat lstat_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path << ": " << strerror(errno);
  return st;
}

inline bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

inline std::string xattr_of(const std::string& path, const char* name) {
  char buf[256];
  ssize_t n = ::lgetxattr(path.c_str(), name, buf, sizeof(buf));
  return n < 0 ? "" : std::string(buf, static_cast<size_t>(n));
}

// Everything about a tree that a container could change: per path, its type, mode, owner,
// size, mtime, device, link target, content hash and xattrs.
inline std::map<std::string, std::string> tree_state(const std::string& root) {
  std::map<std::string, std::string> out;
  auto describe = [](const std::string& path) {
    struct stat st = lstat_of(path);
    std::string d = std::to_string(st.st_mode) + " " + std::to_string(st.st_uid) + ":" +
                    std::to_string(st.st_gid) + " n" + std::to_string(st.st_nlink) + " s" +
                    std::to_string(st.st_size) + " m" + std::to_string(st.st_mtim.tv_sec) + "." +
                    std::to_string(st.st_mtim.tv_nsec) + " r" + std::to_string(st.st_rdev);
    if (S_ISLNK(st.st_mode)) d += " -> " + std::filesystem::read_symlink(path).string();
    if (S_ISREG(st.st_mode)) d += " " + sha256_digest(read_file(path));
    char names[4096];
    ssize_t len = ::llistxattr(path.c_str(), names, sizeof(names));
    for (ssize_t pos = 0; pos < len; pos += static_cast<ssize_t>(strlen(names + pos)) + 1)
      d += " " + std::string(names + pos) + "=" + xattr_of(path, names + pos);
    return d;
  };
  out["."] = describe(root);
  for (const auto& e : std::filesystem::recursive_directory_iterator(root))
    out[e.path().string().substr(root.size())] = describe(e.path().string());
  return out;
}

inline bool mounted_at(const std::string& path) {
  std::string info = read_file("/proc/self/mountinfo");
  return info.find(" " + path + " ") != std::string::npos;
}

}  // namespace burrow::shim::image::test
