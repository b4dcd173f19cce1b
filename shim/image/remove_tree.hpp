// rm -rf for trees made from images: like file::remove_all (never crosses a mount point), but a
// directory the caller owns without write or search permission (an image's 0555 /usr, say) is
// made 0700 first, which an unprivileged caller needs to remove what it unpacked or copied.
#pragma once

#include <string>

#include "base/error.hpp"

namespace burrow::shim::image {

// Missing `path` is success.
Status remove_tree(const std::string& path);

}  // namespace burrow::shim::image
