// RAII for libarchive read handles, shared by the import (outer archive) and layer unpacking.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <cstdint>
#include <memory>
#include <string>

#include "base/error.hpp"

namespace burrow::shim::image {

struct ArchiveReadFree {
  void operator()(struct archive* a) const { archive_read_free(a); }
};
using ArchiveReader = std::unique_ptr<struct archive, ArchiveReadFree>;

// A reader of tar archives (any compression libarchive knows) from the file at `path`.
Result<ArchiveReader> open_tar(const std::string& path);

// libarchive's message for the reader's last error, prefixed by `what`.
Error archive_error(struct archive* a, const std::string& what);

// The next entry of `reader`, or null at the end; counts entries in `count` and refuses more
// than `max_entries` (a hostile archive), naming `what`.
Result<struct archive_entry*> next_entry(struct archive* reader, const std::string& what,
                                         uint64_t max_entries, uint64_t& count);

}  // namespace burrow::shim::image
