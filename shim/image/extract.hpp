// Unpacks an image archive (docker save output or an OCI layout tarball) into a private
// directory of the store's tmp/, so importing a tarball is importing a directory. Such archives
// hold directories, regular files and links between them, nothing else: anything else, any path
// leaving the directory (absolute, "..", a symlink pointing out or written through) and any entry
// twice is refused with the entry's name.
#pragma once

#include <string>

#include "base/error.hpp"
#include "image/store.hpp"

namespace burrow::shim::image {

Status extract_archive(const std::string& archive, const std::string& dir, const Limits& limits);

}  // namespace burrow::shim::image
