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

}  // namespace burrow::shim::image
