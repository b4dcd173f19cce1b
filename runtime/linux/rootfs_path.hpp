// Paths inside the container's rootfs, resolved the safe way: every lookup goes through
// openat2(RESOLVE_IN_ROOT) relative to an fd of the rootfs, and every creation is a *at call
// relative to a directory fd obtained like that. A symlink (absolute or "../..") can never lead
// outside the rootfs, and no path string the container could swap is followed later
// (CVE-2021-30465): callers mount onto the returned fd.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "base/error.hpp"
#include "base/fd.hpp"

namespace burrow::linux {

// "/a//b/./c/" -> "/a/b/c"; "a/../.." -> "/" (lexical, ".." stops at "/"). For comparing
// destinations only; resolution itself is done by the kernel.
std::string clean_container_path(std::string_view path);
// Parent and last component of a clean absolute path: "/dev/net/tun" -> {"/dev/net", "tun"}.
std::pair<std::string, std::string> split_parent(const std::string& clean_path);

enum class Leaf { directory, file };

// O_PATH fd of `path` inside the root, creating missing directories (mode 0755) and, when
// `leaf` is file, an empty regular file (mode 0644) for the last component. A dangling symlink
// on the way is followed inside the root and its target created there.
Result<Fd> ensure_in_root(int root_fd, const std::string& path, Leaf leaf);

// O_PATH|O_DIRECTORY fd of the parent directory of `path` (created like ensure_in_root).
Result<Fd> ensure_parent_in_root(int root_fd, const std::string& path);

// The same, but no symlink on the way is followed at all: a symlink component fails with
// "<its path> is a symlink in the rootfs; refusing" (ELOOP). For what the runtime creates with
// its own privileges where the image must not redirect it (device nodes).
Result<Fd> ensure_parent_without_symlinks(int root_fd, const std::string& path);

// Where `fd` is inside the root, symlinks resolved ("/etc"): from the /proc/self/fd links of both
// fds, so only before pivot_root, while /proc is the host's. Fails when `fd` is not under it.
Result<std::string> path_inside_root(int root_fd, int fd);

}  // namespace burrow::linux
