// Creating files from archive entries beneath a directory without ever leaving it: entry names
// are cleaned lexically (no "..", no absolute paths), then every directory on the way is opened
// with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV), so neither a symlink an
// earlier entry made nor a ".." can redirect a write, whatever libarchive hands us.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "base/error.hpp"
#include "base/fd.hpp"

namespace burrow::shim::image {

// An archive entry's name made relative and clean: "./a//b/" -> "a/b", "." -> "". Refuses
// absolute names, ".." components and NUL, naming the entry.
Result<std::string> clean_entry_path(std::string_view raw);

// Splits a clean path into its parent ("" for the top) and last component.
std::pair<std::string, std::string> split_parent(const std::string& clean);

// Opens directory `rel` (clean, "" = `root` itself) beneath `root` for reading, refusing symlinks
// on the way. With `create`, missing directories are made with `mode` and `on_create` (if set) is
// told each one's clean path. Errors name the directory, not the entry.
Result<Fd> open_dir_beneath(int root, const std::string& rel, bool create = false,
                            mode_t mode = 0755,
                            const std::function<void(const std::string&)>& on_create = {});

// Opens directory `name` (one component) in `dir`, refusing a symlink; `what` names it (its
// path from the root) in errors, which leave naming the entry to the caller.
Result<Fd> open_child_dir(int dir, const std::string& name, const std::string& what);

// True when a symlink at `link` (clean path) pointing to `target` stays beneath the root when
// resolved lexically (relative target, never climbing above the root).
bool symlink_stays_beneath(const std::string& link, std::string_view target);

}  // namespace burrow::shim::image
