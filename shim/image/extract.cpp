#include "image/extract.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/archive_reader.hpp"
#include "image/safe_path.hpp"

namespace burrow::shim::image {
namespace {

Status write_data(struct archive* a, int fd, const std::string& what, uint64_t& budget) {
  const void* block;
  size_t size;
  la_int64_t offset;
  for (;;) {
    int r = archive_read_data_block(a, &block, &size, &offset);
    if (r == ARCHIVE_EOF) return {};
    if (r != ARCHIVE_OK) return archive_error(a, what);
    if (size > budget) return Error::msg(what + ": archive unpacks to more than the limit");
    budget -= size;
    const char* p = static_cast<const char*>(block);
    while (size > 0) {
      ssize_t n = ::pwrite(fd, p, size, offset);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Error::from_errno(what + ": write");
      }
      p += n;
      offset += n;
      size -= static_cast<size_t>(n);
    }
  }
}

}  // namespace

Status extract_archive(const std::string& archive, const std::string& dir, const Limits& limits) {
  auto reader = BURROW_TRY(open_tar(archive));
  Fd root(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root) return Error::from_errno("open " + dir);
  uint64_t budget = limits.max_archive_bytes;
  uint64_t entries = 0;
  while (struct archive_entry* entry =
             BURROW_TRY(next_entry(reader.get(), archive, limits.max_entries, entries))) {
    const char* raw = archive_entry_pathname(entry);
    std::string name = raw ? raw : "";
    auto rel = BURROW_TRY(clean_entry_path(name));
    std::string what = "entry '" + name + "'";
    if (rel.empty()) continue;  // "./"
    auto [parent_rel, base] = split_parent(rel);
    auto parent = BURROW_TRY_CTX(open_dir_beneath(root.get(), parent_rel, true, 0700), what);
    if (const char* link = archive_entry_hardlink(entry)) {
      auto target = BURROW_TRY(clean_entry_path(link));
      auto [tparent_rel, tbase] = split_parent(target);
      auto tparent = BURROW_TRY_CTX(open_dir_beneath(root.get(), tparent_rel), what);
      if (::linkat(tparent.get(), tbase.c_str(), parent.get(), base.c_str(), 0) < 0)
        return Error::from_errno(what + ": hard link to '" + std::string(link) + "'");
      continue;
    }
    switch (archive_entry_filetype(entry)) {
      case AE_IFDIR:
        if (::mkdirat(parent.get(), base.c_str(), 0700) < 0 && errno != EEXIST)
          return Error::from_errno(what + ": mkdir");
        BURROW_TRY_CTX(open_child_dir(parent.get(), base, rel), what);  // not a link or file
        break;
      case AE_IFREG: {
        Fd out(::openat(parent.get(), base.c_str(),
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
        if (!out) {
          if (errno == EEXIST) return Error::msg(what + ": appears twice in the archive");
          return Error::from_errno(what + ": create");
        }
        BURROW_TRY(write_data(reader.get(), out.get(), what, budget));
        if (::ftruncate(out.get(), archive_entry_size(entry)) < 0)
          return Error::from_errno(what + ": truncate");
        break;
      }
      case AE_IFLNK: {
        const char* target = archive_entry_symlink(entry);
        // Old `docker save` links identical layers ("../<id>/layer.tar"); nothing needs a link
        // out of the archive.
        if (!target || !symlink_stays_beneath(rel, target))
          return Error::msg(what + ": symlink to '" + std::string(target ? target : "") +
                            "' points outside the archive");
        if (::symlinkat(target, parent.get(), base.c_str()) < 0) {
          if (errno == EEXIST) return Error::msg(what + ": appears twice in the archive");
          return Error::from_errno(what + ": symlink");
        }
        break;
      }
      default:
        return Error::msg(what +
                          ": not a file, directory or link (an image archive holds no "
                          "device, fifo or socket)");
    }
  }
  return {};
}

}  // namespace burrow::shim::image
