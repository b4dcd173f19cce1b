// Masking a path: an empty read-only tmpfs over a directory, /dev/null over anything else. Used
// by the init for linux.maskedPaths after pivot_root (rootfs_finish.cpp) and by the parent on
// the host's /sys it stages for a container (host_sysfs.hpp).
#pragma once

#include <functional>
#include <string>

#include "base/error.hpp"
#include "base/fd.hpp"

namespace burrow::linux {

// The real 1:3 character device at `path` beneath `root_fd` (CVE-2025-31133: a /dev/null that is
// a symlink or plain file by now would unmask the path or expose another file); EINVAL otherwise.
Result<Fd> open_dev_null(int root_fd, const std::string& path = "/dev/null");

// Masks `path` resolved beneath `root_fd` (RESOLVE_IN_ROOT); a missing path is skipped (runc).
// `dev_null` is asked for only when a non-directory is masked.
Status mask_path(int root_fd, const std::string& path, const std::function<Result<Fd>()>& dev_null);

}  // namespace burrow::linux
