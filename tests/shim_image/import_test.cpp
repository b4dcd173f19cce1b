#include "image/import.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <thread>

#include "image/image.hpp"
#include "store_fixture.hpp"

namespace burrow::shim::image {
namespace {

using namespace test;

class Import : public StoreTest {};

TestImage two_layers(Compression c = Compression::kNone) {
  auto image = TestImage::of(
      {{dir("etc/"), file("etc/os-release", "ID=test\n"), file("bin/tool", "#!/bin/sh\n", 0755)},
       {file("etc/motd", "hi\n")}},
      c);
  image.config = {{"Cmd", {"sh"}}, {"Env", {"PATH=/bin"}}};
  return image;
}

std::vector<std::string> imported(const Store& store, const std::string& path) {
  auto names = import_archive(store, path);
  EXPECT_TRUE(names) << names.error().message;
  return names ? *names : std::vector<std::string>{};
}

TEST_F(Import, DockerSaveArchive) {
  auto image = two_layers();
  auto path = put("busybox.tar", docker_archive(image, {"busybox:1.36", "example.com/x/y"}));
  EXPECT_EQ(imported(store(), path),
            (std::vector<std::string>{"docker.io/library/busybox:1.36", "example.com/x/y:latest"}));
  auto resolved = resolve(store(), "busybox:1.36");
  ASSERT_TRUE(resolved) << resolved.error().message;
  ASSERT_EQ(resolved->layers.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(resolved->layers[i].digest, sha256_digest(image.layers[i]));
    EXPECT_EQ(resolved->layers[i].diff_id, sha256_digest(image.uncompressed[i]));
    EXPECT_EQ(read_file(store().blob_path(resolved->layers[i].digest)), image.layers[i]);
  }
  EXPECT_EQ(resolved->config.cmd, std::vector<std::string>{"sh"});
  // The same image under its other name.
  auto other = resolve(store(), "example.com/x/y:latest");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->digest, resolved->digest);
  // The extraction dir is gone.
  EXPECT_TRUE(std::filesystem::is_empty(store().tmp_dir()));
}

TEST_F(Import, DockerSaveWithGzipLayersAndBlobLayout) {
  auto image = two_layers(Compression::kGzip);
  auto path = put("img.tar", docker_archive(image, {"app:v1"}, /*blob_layout=*/true));
  EXPECT_EQ(imported(store(), path), std::vector<std::string>{"docker.io/library/app:v1"});
  auto resolved = resolve(store(), "app:v1");
  ASSERT_TRUE(resolved) << resolved.error().message;
  EXPECT_EQ(resolved->layers[0].media_type, "application/vnd.oci.image.layer.v1.tar+gzip");
  EXPECT_EQ(resolved->layers[0].diff_id, sha256_digest(image.uncompressed[0]));
}

TEST_F(Import, DockerSaveCompressedAsAWhole) {
  auto image = two_layers();
  auto path =
      put("img.tar.gz", make_tar(docker_archive_entries(image, {"app"}), Compression::kGzip));
  EXPECT_EQ(imported(store(), path), std::vector<std::string>{"docker.io/library/app:latest"});
}

TEST_F(Import, DockerSaveSharedLayerSymlink) {
  // Old `docker save` stores an identical layer once and links the other id's layer.tar to it.
  auto image = TestImage::of({{file("a", "same")}, {file("a", "same")}});
  auto entries = docker_archive_entries(image, {"twice"});
  for (auto& e : entries)
    if (e.path == "layer1/layer.tar") e = symlink("layer1/layer.tar", "../layer0/layer.tar");
  EXPECT_EQ(imported(store(), put("twice.tar", make_tar(entries))),
            std::vector<std::string>{"docker.io/library/twice:latest"});
}

TEST_F(Import, OciLayoutTarball) {
  auto image = two_layers(Compression::kGzip);
  // What `skopeo copy docker-archive:x oci-archive:y:busybox:1.36` writes as the ref name.
  auto path = put("oci.tar", oci_archive(image, "busybox:1.36"));
  EXPECT_EQ(imported(store(), path), std::vector<std::string>{"docker.io/library/busybox:1.36"});
  auto resolved = resolve(store(), "docker.io/library/busybox:1.36");
  ASSERT_TRUE(resolved) << resolved.error().message;
  EXPECT_EQ(resolved->layers.size(), 2u);
  EXPECT_EQ(resolved->config.env, std::vector<std::string>{"PATH=/bin"});
}

TEST_F(Import, OciLayoutDirectoryIsCopiedNotMoved) {
  auto image = two_layers();
  std::string layout = dir_ + "/layout";
  write_tree(layout, oci_layout_entries(image, "registry.example.com/app:2"));
  EXPECT_EQ(imported(store(), layout), std::vector<std::string>{"registry.example.com/app:2"});
  EXPECT_TRUE(std::filesystem::exists(layout + "/blobs/sha256/" + hex_of(image.layers[0])));
  auto resolved = resolve(store(), "registry.example.com/app:2");
  ASSERT_TRUE(resolved) << resolved.error().message;
  // The store is itself an OCI layout naming the image.
  auto index = read_file(store().root() + "/index.json");
  EXPECT_NE(index.find("registry.example.com/app:2"), std::string::npos);
  EXPECT_NE(index.find(resolved->digest), std::string::npos);
}

TEST_F(Import, UnnamedImageIsReachableByDigest) {
  auto names = imported(store(), put("anon.tar", oci_archive(two_layers(), "")));
  ASSERT_EQ(names.size(), 1u);
  EXPECT_TRUE(is_sha256_digest(names[0])) << names[0];
  auto resolved = resolve(store(), names[0]);
  ASSERT_TRUE(resolved) << resolved.error().message;
  EXPECT_EQ(resolved->digest, names[0]);
}

TEST_F(Import, ReimportRetagsName) {
  auto first = two_layers();
  auto second = TestImage::of({{file("v2", "2")}});
  ASSERT_EQ(imported(store(), put("1.tar", docker_archive(first, {"app"}))).size(), 1u);
  auto one = resolve(store(), "app");
  ASSERT_EQ(imported(store(), put("2.tar", docker_archive(second, {"app"}))).size(), 1u);
  auto two = resolve(store(), "app");
  ASSERT_TRUE(one && two);
  EXPECT_NE(one->digest, two->digest);
  EXPECT_EQ(two->layers.size(), 1u);
  auto list = store().list();
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 1u);
}

// --- digests ---

TEST_F(Import, OciBlobDigestMismatchNamesTheBlob) {
  auto image = two_layers();
  auto entries = oci_layout_entries(image, "app");
  std::string victim = "blobs/sha256/" + hex_of(image.layers[1]);
  for (auto& e : entries)
    if (e.path == victim) e.data[e.data.size() - 1] ^= 1;
  auto names = import_archive(store(), put("bad.tar", make_tar(entries)));
  ASSERT_FALSE(names);
  EXPECT_NE(names.error().message.find("blob " + victim + ": digest mismatch"), std::string::npos)
      << names.error().message;
  EXPECT_FALSE(resolve(store(), "app"));
}

TEST_F(Import, DockerLayerNotMatchingDiffIdIsRefused) {
  auto image = two_layers();
  auto entries = docker_archive_entries(image, {"app"});
  for (auto& e : entries)
    if (e.path == "layer1/layer.tar") e.data = make_tar({file("etc/motd", "evil\n")});
  auto names = import_archive(store(), put("bad.tar", make_tar(entries)));
  ASSERT_FALSE(names);
  EXPECT_NE(names.error().message.find("blob layer1/layer.tar: digest mismatch"), std::string::npos)
      << names.error().message;
  EXPECT_FALSE(resolve(store(), "app"));
}

TEST_F(Import, DockerConfigNotMatchingItsNameIsRefused) {
  auto image = two_layers();
  auto entries = docker_archive_entries(image, {"app"});
  for (auto& e : entries)
    if (e.path.ends_with(".json") && e.path != "manifest.json") e.data += " ";
  auto names = import_archive(store(), put("bad.tar", make_tar(entries)));
  ASSERT_FALSE(names);
  EXPECT_NE(names.error().message.find("digest mismatch"), std::string::npos)
      << names.error().message;
}

// --- hostile archives ---

std::string refusal(const Store& store, const std::string& path) {
  auto names = import_archive(store, path);
  EXPECT_FALSE(names) << "imported " << path;
  return names ? "" : names.error().message;
}

TEST_F(Import, RefusesDotDot) {
  auto msg = refusal(store(), put("h.tar", make_tar({file("../x", "evil")})));
  EXPECT_NE(msg.find("entry '../x': path has a '..' component"), std::string::npos) << msg;
  msg = refusal(store(), put("h2.tar", make_tar({dir("a/"), file("a/../../x", "evil")})));
  EXPECT_NE(msg.find("entry 'a/../../x'"), std::string::npos) << msg;
  EXPECT_FALSE(std::filesystem::exists(store().root() + "/x"));
}

TEST_F(Import, RefusesAbsolutePaths) {
  // libarchive strips a leading "/" when reading some formats; write the name raw in pax.
  auto msg = refusal(store(), put("h.tar", make_tar({file("/etc/x", "evil")})));
  EXPECT_NE(msg.find("'/etc/x': absolute path"), std::string::npos) << msg;
}

TEST_F(Import, RefusesSymlinkOutOfTheArchive) {
  auto msg = refusal(
      store(), put("h.tar", make_tar({symlink("link", "/etc"), file("link/passwd", "evil")})));
  EXPECT_NE(msg.find("entry 'link': symlink to '/etc' points outside"), std::string::npos) << msg;
  msg = refusal(store(), put("h2.tar", make_tar({symlink("up", "../../.."), file("up/x", "e")})));
  EXPECT_NE(msg.find("entry 'up'"), std::string::npos) << msg;
}

TEST_F(Import, RefusesWritingThroughASymlink) {
  auto msg = refusal(
      store(), put("h.tar", make_tar({dir("d/"), symlink("inner", "d"), file("inner/x", "evil")})));
  EXPECT_NE(msg.find("entry 'inner/x': path goes through symlink 'inner'"), std::string::npos)
      << msg;
}

TEST_F(Import, RefusesDuplicateAndSpecialEntries) {
  auto msg = refusal(store(), put("h.tar", make_tar({file("a", "1"), file("a", "2")})));
  EXPECT_NE(msg.find("entry 'a': appears twice"), std::string::npos) << msg;
  msg = refusal(store(), put("h2.tar", make_tar({device("null", TarEntry::kChar, 1, 3)})));
  EXPECT_NE(msg.find("entry 'null': not a file"), std::string::npos) << msg;
}

TEST_F(Import, RefusesOversizedArchives) {
  Limits tiny;
  tiny.max_archive_bytes = 1000;
  auto small = Store::open(dir_ + "/small", tiny);
  ASSERT_TRUE(small);
  auto msg = refusal(*small, put("big.tar", make_tar({file("big", std::string(5000, 'x'))})));
  EXPECT_NE(msg.find("more than the limit"), std::string::npos) << msg;
  EXPECT_TRUE(std::filesystem::is_empty(small->tmp_dir()));
}

TEST_F(Import, NotAnImageArchive) {
  auto msg = refusal(store(), put("h.tar", make_tar({file("readme", "hi")})));
  EXPECT_NE(msg.find("neither `docker save` output"), std::string::npos) << msg;
  msg = refusal(store(), put("junk.tar", "this is not a tar file at all, not even close......"));
  EXPECT_NE(msg.find("junk.tar"), std::string::npos) << msg;
  msg = refusal(store(), dir_ + "/missing.tar");
  EXPECT_NE(msg.find("missing.tar: No such file"), std::string::npos) << msg;
}

// --- concurrency ---

TEST_F(Import, ConcurrentImportsKeepEveryName) {
  constexpr int kThreads = 4;
  std::vector<std::string> paths;
  for (int i = 0; i < kThreads; ++i) {
    auto image = TestImage::of({{file("shared", "same in all")}, {file("own", std::to_string(i))}});
    paths.push_back(put("c" + std::to_string(i) + ".tar",
                        docker_archive(image, {"app:" + std::to_string(i), "app:any"})));
  }
  std::vector<std::thread> threads;
  std::vector<std::string> errors(kThreads);
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      for (int round = 0; round < 5; ++round)
        if (auto r = import_archive(store(), paths[i]); !r) errors[i] = r.error().message;
    });
  for (auto& t : threads) t.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  auto list = store().list();
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(list->size(), kThreads + 1u);
  for (int i = 0; i < kThreads; ++i) {
    auto r = resolve(store(), "app:" + std::to_string(i));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->layers.size(), 2u);
  }
  EXPECT_TRUE(resolve(store(), "app:any"));
}

TEST_F(Import, ConcurrentProcessesKeepEveryName) {
  constexpr int kProcs = 4;
  std::vector<pid_t> pids;
  for (int i = 0; i < kProcs; ++i) {
    auto image = TestImage::of({{file("own", "proc" + std::to_string(i))}});
    std::string path =
        put("p" + std::to_string(i) + ".tar", docker_archive(image, {"proc:" + std::to_string(i)}));
    pid_t pid = ::fork();
    if (pid == 0) {
      // A separate process opens its own store, as a concurrent job would.
      auto store = Store::open(store_->root());
      bool ok = store && import_archive(*store, path).ok();
      ::_exit(ok ? 0 : 1);
    }
    pids.push_back(pid);
  }
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  for (int i = 0; i < kProcs; ++i) EXPECT_TRUE(resolve(store(), "proc:" + std::to_string(i)));
}

// --- add_rootfs_dir ---

TEST_F(Import, RootfsDirectoryBecomesAOneLayerImage) {
  std::string rootfs = dir_ + "/rootfs";
  write_tree(rootfs, {dir("bin/"), file("bin/sh", "#!fake", 0755), file("etc/hostname", "x\n")});
  std::filesystem::create_symlink("sh", rootfs + "/bin/ash");
  std::filesystem::create_hard_link(rootfs + "/bin/sh", rootfs + "/bin/hard");
  auto name = add_rootfs_dir(store(), "myroot", rootfs);
  ASSERT_TRUE(name) << name.error().message;
  EXPECT_EQ(*name, "docker.io/library/myroot:latest");
  std::filesystem::remove_all(rootfs);  // the image does not depend on the directory
  auto image = resolve(store(), "myroot");
  ASSERT_TRUE(image) << image.error().message;
  ASSERT_EQ(image->layers.size(), 1u);
  EXPECT_EQ(image->layers[0].diff_id, image->layers[0].digest);
  EXPECT_EQ(image->config, ImageConfig{});
  // The layer lists the tree with relative names.
  auto tar = read_file(store().blob_path(image->layers[0].digest));
  EXPECT_NE(tar.find("./bin/sh"), std::string::npos);
  EXPECT_NE(tar.find("./etc/hostname"), std::string::npos);
  EXPECT_EQ(tar.find(dir_), std::string::npos);
}

TEST_F(Import, RootfsDirectoryMustExist) {
  auto name = add_rootfs_dir(store(), "x", dir_ + "/nope");
  ASSERT_FALSE(name);
  EXPECT_NE(name.error().message.find(dir_ + "/nope"), std::string::npos) << name.error().message;
}

}  // namespace
}  // namespace burrow::shim::image
