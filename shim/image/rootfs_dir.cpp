// add_rootfs_dir: a plain root file system directory becomes a one-layer image. The tree is
// copied (as an uncompressed tar blob) rather than referred to, so the store's guarantee holds
// for it too: an image's content is what its digests say, whatever happens to `dir` later.
#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "image/archive_reader.hpp"
#include "image/import.hpp"
#include "image/import_source.hpp"
#include "image/reference.hpp"

namespace burrow::shim::image {
namespace {

struct ArchiveWriteFree {
  void operator()(struct archive* a) const { archive_write_free(a); }
};
struct ResolverFree {
  void operator()(struct archive_entry_linkresolver* r) const {
    archive_entry_linkresolver_free(r);
  }
};
struct EntryFree {
  void operator()(struct archive_entry* e) const { archive_entry_free(e); }
};

Status copy_data(struct archive* disk, struct archive* out, const std::string& path) {
  char buf[1 << 16];
  for (;;) {
    la_ssize_t n = archive_read_data(disk, buf, sizeof(buf));
    if (n < 0) return archive_error(disk, "read " + path);
    if (n == 0) return {};
    if (archive_write_data(out, buf, static_cast<size_t>(n)) != n)
      return archive_error(out, "tar " + path);
  }
}

// Writes the tree at `dir` as a tar to `fd`; entry names are relative ("./usr/bin/env").
Status tar_tree(const std::string& dir, int fd) {
  std::unique_ptr<struct archive, ArchiveReadFree> disk(archive_read_disk_new());
  std::unique_ptr<struct archive, ArchiveWriteFree> out(archive_write_new());
  std::unique_ptr<struct archive_entry_linkresolver, ResolverFree> links(
      archive_entry_linkresolver_new());
  if (!disk || !out || !links) return Error::msg("libarchive: out of memory", ENOMEM);
  archive_read_disk_set_symlink_physical(disk.get());
  archive_read_disk_set_behavior(disk.get(), ARCHIVE_READDISK_NO_TRAVERSE_MOUNTS);
  archive_write_set_format_pax_restricted(out.get());
  archive_write_set_bytes_in_last_block(out.get(), 1);
  archive_entry_linkresolver_set_strategy(links.get(), archive_format(out.get()));
  if (archive_write_open_fd(out.get(), fd) != ARCHIVE_OK) return archive_error(out.get(), "tar");
  if (archive_read_disk_open(disk.get(), dir.c_str()) != ARCHIVE_OK)
    return archive_error(disk.get(), dir);
  for (;;) {
    std::unique_ptr<struct archive_entry, EntryFree> entry(archive_entry_new());
    int r = archive_read_next_header2(disk.get(), entry.get());
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) return archive_error(disk.get(), dir);
    std::string path = archive_entry_pathname(entry.get());
    archive_read_disk_descend(disk.get());
    if (archive_entry_filetype(entry.get()) == AE_IFSOCK) continue;  // tar has no sockets
    std::string rel = path.size() > dir.size() ? "." + path.substr(dir.size()) : ".";
    archive_entry_set_pathname(entry.get(), rel.c_str());
    struct archive_entry* linked = entry.get();
    struct archive_entry* spare = nullptr;
    archive_entry_linkify(links.get(), &linked, &spare);
    if (linked) {
      if (archive_write_header(out.get(), linked) < ARCHIVE_WARN)
        return archive_error(out.get(), "tar " + path);
      if (archive_entry_size(linked) > 0) BURROW_TRY(copy_data(disk.get(), out.get(), path));
    }
  }
  if (archive_write_close(out.get()) != ARCHIVE_OK) return archive_error(out.get(), "tar");
  return {};
}

}  // namespace

Result<std::string> add_rootfs_dir(const Store& store, const std::string& name,
                                   const std::string& dir) {
  auto canonical = BURROW_TRY(canonical_archive_name(name, "add rootfs " + dir));
  std::string root = dir;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  std::string tmp = store.tmp_dir() + "/rootfs-XXXXXX";
  Fd fd(::mkostemp(tmp.data(), O_CLOEXEC));
  if (!fd) return Error::from_errno("create a temp file in " + store.tmp_dir());
  struct Unlink {
    std::string path;
    ~Unlink() { ::unlink(path.c_str()); }
  } unlink_tmp{tmp};
  BURROW_TRY_CTX(tar_tree(root, fd.get()), "add rootfs " + dir);
  if (::lseek(fd.get(), 0, SEEK_SET) < 0) return Error::from_errno("seek " + tmp);
  auto layer = BURROW_TRY(store.add_blob_fd(fd.get(), "", "layer of " + dir, true));
  off_t size = ::lseek(fd.get(), 0, SEEK_END);
  nlohmann::json config = {
      {"architecture", host_architecture()},
      {"os", "linux"},
      {"config", nlohmann::json::object()},
      {"rootfs", {{"type", "layers"}, {"diff_ids", {layer}}}},
      {"history", {{{"created_by", "burrow-shim: root file system directory " + root}}}}};
  std::string config_text = config.dump();
  auto config_digest = BURROW_TRY(store.add_blob(config_text));
  nlohmann::json manifest = {{"schemaVersion", 2},
                             {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                             {"config",
                              {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                               {"digest", config_digest},
                               {"size", config_text.size()}}},
                             {"layers",
                              {{{"mediaType", "application/vnd.oci.image.layer.v1.tar"},
                                {"digest", layer},
                                {"size", size}}}}};
  std::string manifest_text = manifest.dump();
  IndexEntry entry;
  entry.name = canonical;
  entry.digest = BURROW_TRY(store.add_blob(manifest_text));
  entry.size = manifest_text.size();
  BURROW_TRY(store.add_index_entries({entry}));
  return canonical;
}

}  // namespace burrow::shim::image
