#include "linux/devices.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/syscalls.hpp"
#include "linux/rootfs_path.hpp"

namespace burrow::linux {
namespace {

DeviceNode char_device(const char* path, uint32_t major, uint32_t minor) {
  return DeviceNode{path, S_IFCHR, major, minor, 0666, 0, 0};
}

Result<mode_t> device_type(const std::string& type, const std::string& path) {
  if (type == "c" || type == "u") return static_cast<mode_t>(S_IFCHR);
  if (type == "b") return static_cast<mode_t>(S_IFBLK);
  if (type == "p") return static_cast<mode_t>(S_IFIFO);
  return Error::msg("device " + path + ": unknown type \"" + type + "\"", EINVAL);
}

// Removes whatever non-directory sits at `name` so the new node can take its place.
Status remove_existing(int dirfd, const std::string& name, const std::string& path) {
  if (::unlinkat(dirfd, name.c_str(), 0) < 0 && errno != ENOENT)
    return Error::from_errno("remove existing " + path);
  return {};
}

Status mknod_device(int dirfd, const std::string& name, const DeviceNode& dev) {
  dev_t rdev = dev.type == S_IFIFO ? 0 : makedev(dev.major, dev.minor);
  if (::mknodat(dirfd, name.c_str(), dev.type | (dev.mode & 07777), rdev) < 0)
    return Error::from_errno("mknod " + dev.path);
  if (::fchownat(dirfd, name.c_str(), dev.uid, dev.gid, AT_SYMLINK_NOFOLLOW) < 0)
    return Error::from_errno("chown " + dev.path);
  // mknod's mode went through the umask; set the exact bits asked for.
  if (::fchmodat(dirfd, name.c_str(), dev.mode & 07777, 0) < 0)
    return Error::from_errno("chmod " + dev.path);
  return {};
}

Status bind_host_device(int dirfd, const std::string& name, const DeviceNode& dev) {
  int fd =
      ::openat(dirfd, name.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return Error::from_errno("create " + dev.path);
  ::close(fd);
  Fd target = BURROW_TRY(
      sys::open_resolved(dirfd, name, O_PATH | O_NOFOLLOW, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS));
  if (::mount(dev.path.c_str(), sys::fd_path(target.get()).c_str(), nullptr, MS_BIND, nullptr) < 0)
    return Error::from_errno("bind mount device " + dev.path);
  return {};
}

}  // namespace

std::vector<DeviceNode> default_devices() {
  return {char_device("/dev/null", 1, 3),    char_device("/dev/zero", 1, 5),
          char_device("/dev/full", 1, 7),    char_device("/dev/random", 1, 8),
          char_device("/dev/urandom", 1, 9), char_device("/dev/tty", 5, 0)};
}

Result<std::vector<DeviceNode>> plan_devices(const std::vector<spec::Device>& devices,
                                             bool with_defaults) {
  std::vector<DeviceNode> out;
  if (with_defaults) out = default_devices();
  for (const auto& d : devices) {
    if (!d.path.starts_with("/"))
      return Error::msg("device " + d.path + ": path must be absolute", EINVAL);
    DeviceNode node;
    node.path = clean_container_path(d.path);
    node.type = BURROW_TRY(device_type(d.type, d.path));
    node.major = static_cast<uint32_t>(d.major);
    node.minor = static_cast<uint32_t>(d.minor);
    node.mode = d.file_mode ? static_cast<mode_t>(*d.file_mode & 07777) : 0666;
    node.uid = d.uid.value_or(0);
    node.gid = d.gid.value_or(0);
    bool replaced = false;
    for (auto& existing : out) {
      if (existing.path != node.path) continue;
      existing = node;
      replaced = true;
    }
    if (!replaced) out.push_back(std::move(node));
  }
  return out;
}

std::vector<DevSymlink> default_dev_symlinks(bool devpts_at_dev_pts) {
  std::vector<DevSymlink> links = {
      {"/dev/fd", "/proc/self/fd"},       {"/dev/stdin", "/proc/self/fd/0"},
      {"/dev/stdout", "/proc/self/fd/1"}, {"/dev/stderr", "/proc/self/fd/2"},
      {"/dev/core", "/proc/kcore"},
  };
  if (devpts_at_dev_pts) links.push_back({"/dev/ptmx", "pts/ptmx"});
  return links;
}

Status create_devices(int root_fd, const std::vector<DeviceNode>& devices, bool bind_from_host) {
  for (const auto& dev : devices) {
    // The runtime makes nodes with its own privileges: no symlink of the image may send them
    // elsewhere (into a directory shared with the host, say).
    Fd dir =
        BURROW_TRY_CTX(ensure_parent_without_symlinks(root_fd, dev.path), "device " + dev.path);
    std::string name = split_parent(dev.path).second;
    BURROW_TRY(remove_existing(dir.get(), name, dev.path));
    if (bind_from_host)
      BURROW_TRY(bind_host_device(dir.get(), name, dev));
    else
      BURROW_TRY(mknod_device(dir.get(), name, dev));
  }
  return {};
}

Status create_dev_symlinks(int root_fd, const std::vector<DevSymlink>& links) {
  for (const auto& link : links) {
    // /dev/core only makes sense when the kernel offers /proc/kcore (checked on the host's
    // /proc, which the container's procfs mirrors).
    if (link.target == "/proc/kcore" && ::access("/proc/kcore", F_OK) < 0) continue;
    Fd dir = BURROW_TRY_CTX(ensure_parent_in_root(root_fd, link.path), "symlink " + link.path);
    std::string name = split_parent(link.path).second;
    BURROW_TRY(remove_existing(dir.get(), name, link.path));
    if (::symlinkat(link.target.c_str(), dir.get(), name.c_str()) < 0)
      return Error::from_errno("symlink " + link.path + " -> " + link.target);
  }
  return {};
}

}  // namespace burrow::linux
