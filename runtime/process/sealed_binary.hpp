// CVE-2019-5736: a container must never reach the host's burrow binary. The init and exec
// helpers are clones of the burrow process (no exec), so /proc/<init>/exe would be the host
// binary; a `#!/proc/self/exe` entrypoint could reopen it for writing. burrow therefore runs the
// commands that create container processes from a sealed view of itself, so that
// /proc/self/exe is a file nobody can write:
//  - as root, the binary seen through a private, detached, lower-only overlayfs mount (no copy;
//    an overlay without an upper layer is read-only at the superblock, which no remount or
//    mount_setattr of a clone can undo, and a detached mount is in no mount namespace);
//  - otherwise (no privilege, no overlayfs, no new mount API) a sealed memfd copy.
#pragma once

#include <string>

#include "base/error.hpp"

namespace burrow::process {

enum class SealedView { none, memfd, overlay };

// How /proc/self/exe is protected: a memfd sealed against writes, a detached read-only overlay,
// or neither (the installed binary itself).
SealedView running_sealed_view();
inline bool running_from_sealed_copy() {
  return running_sealed_view() != SealedView::none;
}

// Unless already running from a sealed view: make one and fexecve it with the same argv and
// environment. `spare_dir` is an existing directory that does not overlap the binary's own
// directory (overlayfs needs two lower layers; burrow passes its state root, which it owns);
// empty skips the overlay and copies into a memfd. Returns only on failure.
Status reexec_from_sealed_copy(char** argv, const std::string& spare_dir = {});

}  // namespace burrow::process
