// Test images made in the test: tar layers written with libarchive's write API, wrapped as
// `docker save` output or as an OCI image layout (tar or directory).
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "image/sha256.hpp"

namespace burrow::shim::image::test {

struct TarEntry {
  enum Type { kFile, kDir, kSymlink, kHardlink, kChar, kBlock, kFifo };
  std::string path;
  Type type = kFile;
  std::string data;  // file content
  std::string link;  // symlink / hard link target
  mode_t mode = 0644;
  int64_t uid = 0;
  int64_t gid = 0;
  unsigned dev_major = 0, dev_minor = 0;
  std::vector<std::pair<std::string, std::string>> xattrs;
};

inline TarEntry entry(std::string path, TarEntry::Type type, mode_t mode) {
  TarEntry e;
  e.path = std::move(path);
  e.type = type;
  e.mode = mode;
  return e;
}
inline TarEntry file(std::string path, std::string data, mode_t mode = 0644) {
  auto e = entry(std::move(path), TarEntry::kFile, mode);
  e.data = std::move(data);
  return e;
}
inline TarEntry dir(std::string path, mode_t mode = 0755) {
  return entry(std::move(path), TarEntry::kDir, mode);
}
inline TarEntry symlink(std::string path, std::string target) {
  auto e = entry(std::move(path), TarEntry::kSymlink, 0777);
  e.link = std::move(target);
  return e;
}
inline TarEntry hardlink(std::string path, std::string target) {
  auto e = entry(std::move(path), TarEntry::kHardlink, 0644);
  e.link = std::move(target);
  return e;
}
inline TarEntry device(std::string path, TarEntry::Type type, unsigned major, unsigned minor,
                       mode_t mode = 0666) {
  auto e = entry(std::move(path), type, mode);
  e.dev_major = major;
  e.dev_minor = minor;
  return e;
}

enum class Compression { kNone, kGzip };

// A tar (pax) of `entries`, as bytes.
inline std::string make_tar(const std::vector<TarEntry>& entries,
                            Compression compression = Compression::kNone) {
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (compression == Compression::kGzip) archive_write_add_filter_gzip(a);
  archive_write_set_bytes_in_last_block(a, 1);
  std::vector<char> buf(64 << 20);
  size_t used = 0;
  EXPECT_EQ(archive_write_open_memory(a, buf.data(), buf.size(), &used), ARCHIVE_OK);
  for (const auto& e : entries) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.path.c_str());
    archive_entry_set_uid(entry, e.uid);
    archive_entry_set_gid(entry, e.gid);
    archive_entry_set_mtime(entry, 1700000000, 0);
    switch (e.type) {
      case TarEntry::kFile:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_size(entry, static_cast<la_int64_t>(e.data.size()));
        break;
      case TarEntry::kDir:
        archive_entry_set_filetype(entry, AE_IFDIR);
        break;
      case TarEntry::kSymlink:
        archive_entry_set_filetype(entry, AE_IFLNK);
        archive_entry_set_symlink(entry, e.link.c_str());
        break;
      case TarEntry::kHardlink:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_hardlink(entry, e.link.c_str());
        break;
      case TarEntry::kChar:
      case TarEntry::kBlock:
        archive_entry_set_filetype(entry, e.type == TarEntry::kChar ? AE_IFCHR : AE_IFBLK);
        archive_entry_set_rdevmajor(entry, e.dev_major);
        archive_entry_set_rdevminor(entry, e.dev_minor);
        break;
      case TarEntry::kFifo:
        archive_entry_set_filetype(entry, AE_IFIFO);
        break;
    }
    archive_entry_set_perm(entry, e.mode);
    for (const auto& [name, value] : e.xattrs)
      archive_entry_xattr_add_entry(entry, name.c_str(), value.data(), value.size());
    EXPECT_EQ(archive_write_header(a, entry), ARCHIVE_OK) << archive_error_string(a);
    if (e.type == TarEntry::kFile && !e.data.empty()) {
      EXPECT_EQ(archive_write_data(a, e.data.data(), e.data.size()),
                static_cast<la_ssize_t>(e.data.size()));
    }
    archive_entry_free(entry);
  }
  EXPECT_EQ(archive_write_close(a), ARCHIVE_OK);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

inline void write_file(const std::string& path, const std::string& data) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string hex_of(const std::string& data) {
  return digest_hex(sha256_digest(data));
}

// An image to wrap: its layers (tar bytes, maybe compressed) and config fields.
struct TestImage {
  std::vector<std::string> layers;
  std::vector<std::string> uncompressed;  // the layers' tars before compression (diff ids)
  nlohmann::json config = nlohmann::json::object();  // the "config" object of the image config

  static TestImage of(const std::vector<std::vector<TarEntry>>& layers,
                      Compression compression = Compression::kNone) {
    TestImage image;
    for (const auto& entries : layers) {
      image.uncompressed.push_back(make_tar(entries));
      image.layers.push_back(compression == Compression::kNone ? image.uncompressed.back()
                                                               : make_tar(entries, compression));
    }
    return image;
  }

  std::string config_json() const {
    nlohmann::json diff_ids = nlohmann::json::array();
    for (const auto& tar : uncompressed) diff_ids.push_back(sha256_digest(tar));
    return nlohmann::json{{"architecture", "amd64"},
                          {"os", "linux"},
                          {"config", config},
                          {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}}}
        .dump();
  }
};

// `docker save` shaped entries: <hex>.json config, <n>/layer.tar layers, manifest.json.
// With `blob_layout`, docker 25's shape: everything under blobs/sha256/.
inline std::vector<TarEntry> docker_archive_entries(const TestImage& image,
                                                    const std::vector<std::string>& repo_tags,
                                                    bool blob_layout = false) {
  std::vector<TarEntry> out;
  std::string config = image.config_json();
  std::string config_name =
      blob_layout ? "blobs/sha256/" + hex_of(config) : hex_of(config) + ".json";
  nlohmann::json layers = nlohmann::json::array();
  if (blob_layout) out.push_back(dir("blobs/sha256/"));
  for (size_t i = 0; i < image.layers.size(); ++i) {
    std::string name = blob_layout ? "blobs/sha256/" + hex_of(image.layers[i])
                                   : "layer" + std::to_string(i) + "/layer.tar";
    if (!blob_layout) out.push_back(dir("layer" + std::to_string(i) + "/"));
    out.push_back(file(name, image.layers[i]));
    layers.push_back(name);
  }
  out.push_back(file(config_name, config));
  nlohmann::json manifest = nlohmann::json::array(
      {{{"Config", config_name}, {"RepoTags", repo_tags}, {"Layers", layers}}});
  out.push_back(file("manifest.json", manifest.dump()));
  return out;
}

inline std::string docker_archive(const TestImage& image, const std::vector<std::string>& repo_tags,
                                  bool blob_layout = false) {
  return make_tar(docker_archive_entries(image, repo_tags, blob_layout));
}

// OCI layout entries; `ref_name` becomes the index entry's ref.name annotation ("" = none).
inline std::vector<TarEntry> oci_layout_entries(const TestImage& image,
                                                const std::string& ref_name) {
  std::vector<TarEntry> out = {file("oci-layout", R"({"imageLayoutVersion":"1.0.0"})"),
                               dir("blobs/"), dir("blobs/sha256/")};
  std::string config = image.config_json();
  out.push_back(file("blobs/sha256/" + hex_of(config), config));
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& layer : image.layers) {
    out.push_back(file("blobs/sha256/" + hex_of(layer), layer));
    bool gz = layer.size() > 2 && static_cast<unsigned char>(layer[0]) == 0x1f;
    layers.push_back(
        {{"mediaType", std::string("application/vnd.oci.image.layer.v1.tar") + (gz ? "+gzip" : "")},
         {"digest", sha256_digest(layer)},
         {"size", layer.size()}});
  }
  std::string manifest = nlohmann::json{
      {"schemaVersion", 2},
      {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
      {"config",
       {{"mediaType", "application/vnd.oci.image.config.v1+json"},
        {"digest", sha256_digest(config)},
        {"size", config.size()}}},
      {"layers", layers}}.dump();
  out.push_back(file("blobs/sha256/" + hex_of(manifest), manifest));
  nlohmann::json desc = {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                         {"digest", sha256_digest(manifest)},
                         {"size", manifest.size()}};
  if (!ref_name.empty()) desc["annotations"] = {{"org.opencontainers.image.ref.name", ref_name}};
  out.push_back(
      file("index.json", nlohmann::json{{"schemaVersion", 2}, {"manifests", {desc}}}.dump()));
  return out;
}

inline std::string oci_archive(const TestImage& image, const std::string& ref_name) {
  return make_tar(oci_layout_entries(image, ref_name));
}

// Writes entries (files and directories only) under `root`.
inline void write_tree(const std::string& root, const std::vector<TarEntry>& entries) {
  for (const auto& e : entries) {
    if (e.type == TarEntry::kDir)
      std::filesystem::create_directories(root + "/" + e.path);
    else
      write_file(root + "/" + e.path, e.data);
  }
}

// A fresh directory under the test temp dir, removed by the caller's fixture.
inline std::string make_temp_dir(const std::string& prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string path = std::string(base && *base ? base : "/tmp") + "/" + prefix + "-XXXXXX";
  if (!::mkdtemp(path.data())) ADD_FAILURE() << "mkdtemp " << path;
  return path;
}

}  // namespace burrow::shim::image::test
