// A container's copy-on-write root file system over cached layers (layers.hpp). The layers are
// only ever read: writes land in a per-container directory under `scratch_dir`, which goes away
// with the Rootfs.
//
// Modes:
//   kOverlay  kernel overlayfs at `target`: lowerdir = the layers (top first), upperdir and
//             workdir = scratch_dir/upper and scratch_dir/work. Needs CAP_SYS_ADMIN (root, or a
//             user namespace owning the mount namespace, with layers unpacked kUnprivileged
//             then: their opaque dirs use user.overlay.*, and the mount adds `userxattr`).
//   kCopy     the layers flattened (whiteouts and opaque dirs applied) into scratch_dir/rootfs,
//             and nothing mounted: for callers that cannot mount overlayfs. path() is then
//             scratch_dir/rootfs, not `target`. Costs a copy of the image per container.
//   kAuto     kOverlay, or kCopy when the kernel refuses the mount for lack of privilege.
// fuse-overlayfs for rootless callers would be a third way to make path(): mount_overlay()'s
// option string and the Rootfs cleanup (fusermount3 -u instead of umount2) are its seam.
//
// The lowerdir option of mount(2) must fit in a page. When the layer paths do not, the mount
// names the layers by short /proc/self/fd/N paths of O_PATH fds held across the mount; when
// even those do not fit (about 200 layers), it appends them one by one with fsconfig's
// "lowerdir+" (Linux 6.8+). Beyond that the mount fails with an error naming the layer count.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"
#include "image/layers.hpp"

namespace burrow::shim::image {

enum class RootfsMode { kOverlay, kCopy, kAuto };

class Rootfs {
 public:
  Rootfs(Rootfs&& other) noexcept;
  Rootfs& operator=(Rootfs&& other) noexcept;
  Rootfs(const Rootfs&) = delete;
  Rootfs& operator=(const Rootfs&) = delete;
  // Releases, ignoring errors (call release() to see them).
  ~Rootfs();

  // Where the container's root is: `target` (overlay) or scratch_dir/rootfs (copy).
  const std::string& path() const { return path_; }
  RootfsMode mode() const { return mode_; }
  // Unmounts (MNT_DETACH: processes still inside keep their view, the name goes now) and removes
  // the container's writable directories. Idempotent; the first error is returned after trying
  // everything.
  Status release();

 private:
  friend Result<Rootfs> mount_rootfs(const std::vector<std::string>&, const std::string&,
                                     const std::string&, RootfsMode);
  Rootfs(std::string path, RootfsMode mode, bool mounted, std::vector<std::string> scratch)
      : path_(std::move(path)), mode_(mode), mounted_(mounted), scratch_(std::move(scratch)) {}

  std::string path_;
  RootfsMode mode_ = RootfsMode::kOverlay;
  bool mounted_ = false;
  std::vector<std::string> scratch_;  // directories to remove
};

// `layers` as unpack_layers returns them: bottom layer first. `scratch_dir` is created when
// missing and must not already hold upper/, work/ or rootfs/. `target` must exist (a directory).
Result<Rootfs> mount_rootfs(const std::vector<std::string>& layers, const std::string& scratch_dir,
                            const std::string& target, RootfsMode mode = RootfsMode::kOverlay);

// The kCopy tree: `layers` (bottom first) merged into `dest`, a directory that must not exist.
Status flatten_layers(const std::vector<std::string>& layers, const std::string& dest);

}  // namespace burrow::shim::image
