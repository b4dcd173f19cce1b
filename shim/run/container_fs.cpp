#include "run/container_fs.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>

#include "base/file.hpp"
#include "base/syscalls.hpp"

namespace burrow::shim::run {
namespace {

// A file of the rootfs, read with every path component resolved inside it.
Result<std::string> read_in_rootfs(const std::string& rootfs, const std::string& path) {
  Fd root(::open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return Error::from_errno("open " + rootfs);
  Fd file = BURROW_TRY(sys::open_in_root(root.get(), path, O_RDONLY | O_CLOEXEC));
  return file::read_fd(file.get(), path);
}

bool executable_in_rootfs(const std::string& rootfs, const std::string& path) {
  Fd root(::open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return false;
  auto file = sys::open_in_root(root.get(), path, O_PATH | O_CLOEXEC);
  if (!file) return false;
  struct stat st {};
  return ::fstat(file->get(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

std::optional<uint32_t> number(const std::string& text) {
  if (text.empty() || text.size() > 10 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  unsigned long value = std::stoul(text);
  if (value > 0xffffffffUL) return std::nullopt;
  return static_cast<uint32_t>(value);
}

// Field `index` (0-based) of the line of a passwd/group file whose first field is `name`.
std::optional<std::string> lookup(const std::string& text, const std::string& name, int index) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> fields;
    std::istringstream parts(line);
    for (std::string field; std::getline(parts, field, ':');) fields.push_back(field);
    if (fields.size() > static_cast<size_t>(index) && fields[0] == name) return fields[index];
  }
  return std::nullopt;
}

}  // namespace

Result<image::Rootfs> mount_container_rootfs(const std::vector<std::string>& layers,
                                             const std::string& container_dir,
                                             const pod::IdRange& ids, int idmap_userns_fd) {
  std::string target = container_dir + "/rootfs";
  BURROW_TRY(file::mkdir_all(target, 0755));
  if (idmap_userns_fd >= 0) {
    auto idmapped = BURROW_TRY(
        image::IdmappedLayers::attach(layers, container_dir + "/lower", idmap_userns_fd));
    // The overlay keeps its own references to the idmapped layers: detached right after.
    auto mounted = mount_container_rootfs(idmapped.paths(), container_dir, ids, -1);
    BURROW_TRY(idmapped.release());
    return mounted;
  }
  // Overlay, or a flattened copy where the kernel refuses the mount for lack of privilege.
  image::Rootfs rootfs = BURROW_TRY(
      image::mount_rootfs(layers, container_dir + "/cow", target, image::RootfsMode::kAuto));
  // The overlay's root takes the top layer's root owner: the pod's root when the layers were
  // unpacked for its range. An image whose root dir belongs to someone else (or an empty
  // range) gets it handed over, or container root could not create files in /.
  struct stat st {};
  if (ids.size != 0 && ::stat(rootfs.path().c_str(), &st) == 0 && st.st_uid != ids.host_uid &&
      ::chown(rootfs.path().c_str(), ids.host_uid, ids.host_gid) < 0)
    return Error::from_errno("chown " + rootfs.path());
  return rootfs;
}

std::string find_shell(const std::string& rootfs) {
  for (const char* candidate : {"/usr/local/bin/bash", "/usr/bin/bash", "/bin/bash",
                                "/usr/local/bin/sh", "/usr/bin/sh", "/bin/sh", "/busybox/sh"}) {
    if (executable_in_rootfs(rootfs, candidate)) return candidate;
  }
  return "";
}

Result<ImageUser> resolve_image_user(const std::string& rootfs, const std::string& user) {
  ImageUser resolved;
  if (user.empty()) return resolved;
  size_t colon = user.find(':');
  std::string name = user.substr(0, colon);
  std::string group = colon == std::string::npos ? "" : user.substr(colon + 1);
  if (auto numeric = number(name)) {
    resolved.uid = *numeric;
  } else {
    auto passwd = BURROW_TRY_CTX(read_in_rootfs(rootfs, "/etc/passwd"), "image user " + user);
    auto uid = lookup(passwd, name, 2);
    auto gid = lookup(passwd, name, 3);
    if (!uid || !number(*uid))
      return Error::msg("image user " + user + ": no user '" + name +
                        "' in the image's /etc/passwd");
    resolved.uid = *number(*uid);
    if (gid && number(*gid)) resolved.gid = *number(*gid);
  }
  if (group.empty()) return resolved;
  if (auto numeric = number(group)) {
    resolved.gid = *numeric;
    return resolved;
  }
  auto groups = BURROW_TRY_CTX(read_in_rootfs(rootfs, "/etc/group"), "image user " + user);
  auto gid = lookup(groups, group, 2);
  if (!gid || !number(*gid))
    return Error::msg("image user " + user + ": no group '" + group +
                      "' in the image's /etc/group");
  resolved.gid = *number(*gid);
  return resolved;
}

}  // namespace burrow::shim::run
