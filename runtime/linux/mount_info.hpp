// /proc/self/mountinfo, parsed. Used to find the host's cgroup hierarchies and the propagation
// of the mount holding the rootfs; tests use it to check what the container sees.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace burrow::linux {

struct MountInfo {
  int id = 0;
  int parent_id = 0;
  std::string root;           // the mount's root inside its filesystem ("/", "/docker/abc")
  std::string mount_point;    // unescaped ("\040" -> ' ')
  std::string mount_options;  // per-mount: "rw,nosuid,relatime"
  std::string optional;       // "shared:1 master:2" (space separated, may be empty)
  std::string fs_type;        // "cgroup", "tmpfs", ...
  std::string source;
  std::string super_options;  // per-superblock: "rw,cpu,cpuacct"

  bool shared() const { return optional.find("shared:") != std::string::npos; }
  bool unbindable() const { return optional.find("unbindable") != std::string::npos; }
  bool has_mount_option(std::string_view option) const;
};

// Lines that do not parse are skipped (the kernel's format is stable; a partial read is not).
std::vector<MountInfo> parse_mount_info(std::string_view text);
Result<std::vector<MountInfo>> read_mount_info(const std::string& path = "/proc/self/mountinfo");

// The entry whose mount point is the longest prefix of `path` (path must be clean and
// absolute); the last one mounted when several share it. nullptr when none (cannot happen for
// a real mountinfo, which always has "/").
const MountInfo* mount_containing(const std::vector<MountInfo>& mounts, const std::string& path);

}  // namespace burrow::linux
