#include "image/archive_reader.hpp"

#include <cerrno>

namespace burrow::shim::image {

Error archive_error(struct archive* a, const std::string& what) {
  const char* text = archive_error_string(a);
  return Error::msg(what + ": " + (text ? text : "unknown libarchive error"));
}

Result<ArchiveReader> open_tar(const std::string& path) {
  ArchiveReader reader(archive_read_new());
  if (!reader) return Error::msg("archive_read_new: out of memory", ENOMEM);
  archive_read_support_filter_all(reader.get());
  archive_read_support_format_tar(reader.get());
  if (archive_read_open_filename(reader.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    return archive_error(reader.get(), "open " + path);
  return reader;
}

Result<struct archive_entry*> next_entry(struct archive* reader, const std::string& what,
                                         uint64_t max_entries, uint64_t& count) {
  struct archive_entry* entry = nullptr;
  int r = archive_read_next_header(reader, &entry);
  if (r == ARCHIVE_EOF) return static_cast<struct archive_entry*>(nullptr);
  if (r != ARCHIVE_OK && r != ARCHIVE_WARN) return archive_error(reader, what);
  if (++count > max_entries)
    return Error::msg(what + ": more than " + std::to_string(max_entries) + " entries");
  return entry;
}

}  // namespace burrow::shim::image
