#include "linux/idmapped_overlay.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <algorithm>

#include "linux/idmapped_mount.hpp"
#include "linux/mount_info.hpp"

namespace burrow::linux {
namespace {

// Option values as mountinfo writes them: "\054" for ',', "\134" for '\'; nullopt for an escape
// this reader will not guess at.
std::optional<std::string> unescape_value(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 3 >= text.size()) return std::nullopt;
    std::string digits = text.substr(i + 1, 3);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '7'; }))
      return std::nullopt;
    out.push_back(static_cast<char>(std::stoi(digits, nullptr, 8)));
    i += 3;
  }
  return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

std::string parent_of(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

bool usable_path(const std::string& path) {
  return path.starts_with("/") && path.find(',') == std::string::npos &&
         path.find(':') == std::string::npos && path.find('\\') == std::string::npos;
}

constexpr const char* kOwnWorkDir = "burrow-work";

constexpr const char* kCarried[] = {"redirect_dir", "metacopy",  "index",   "xino",
                                    "nfs_export",   "userxattr", "volatile"};

}  // namespace

std::optional<OverlayLayers> parse_overlay_options(const std::string& super_options) {
  OverlayLayers layers;
  for (const auto& option : split(super_options, ',')) {
    size_t equals = option.find('=');
    std::string key = option.substr(0, equals);
    std::string raw = equals == std::string::npos ? "" : option.substr(equals + 1);
    if (key == "lowerdir" || key == "lowerdir+") {
      if (raw.find("\\:") != std::string::npos) return std::nullopt;
      for (const auto& part : split(raw, ':')) {
        auto path = unescape_value(part);
        if (!path || !usable_path(*path)) return std::nullopt;
        layers.lower.push_back(*path);
      }
    } else if (key == "upperdir" || key == "workdir") {
      auto path = unescape_value(raw);
      if (!path || !usable_path(*path)) return std::nullopt;
      (key == "upperdir" ? layers.upper : layers.work) = *path;
    } else if (key == "datadir+") {
      return std::nullopt;
    } else if (std::find(std::begin(kCarried), std::end(kCarried), key) != std::end(kCarried)) {
      layers.options.push_back(option);
    }
  }
  if (layers.lower.empty() || layers.upper.empty() || layers.work.empty()) return std::nullopt;
  if (parent_of(layers.upper) != parent_of(layers.work)) return std::nullopt;
  return layers;
}

Result<std::optional<OverlayLayers>> overlay_layers_at(const std::string& rootfs) {
  auto mounts = BURROW_TRY_CTX(read_mount_info(), "read mountinfo");
  const MountInfo* mount = mount_containing(mounts, rootfs);
  if (!mount || mount->mount_point != rootfs || mount->fs_type != "overlay" || mount->root != "/")
    return std::optional<OverlayLayers>();
  return parse_overlay_options(mount->super_options);
}

std::vector<spec::IdMapping> layer_idmap(const std::vector<spec::IdMapping>& container_maps) {
  std::vector<spec::IdMapping> maps = container_maps;
  uint32_t past = 0;
  for (const auto& m : container_maps) past = std::max(past, m.container_id + m.size);
  maps.push_back({past, 0, 1});
  return maps;
}

Result<Fd> make_layer_idmap(const spec::Spec& spec) {
  if (!spec.linux || spec.linux->uid_mappings.empty() || spec.linux->gid_mappings.empty())
    return Error::msg("idmapped overlay: the container has no user namespace maps", EINVAL);
  return BURROW_TRY_CTX(make_idmap_namespace(layer_idmap(spec.linux->uid_mappings),
                                             layer_idmap(spec.linux->gid_mappings)),
                        "idmapped overlay: user namespace");
}

Status mount_idmapped_overlay(const OverlayLayers& layers, int userns_fd,
                              const std::string& layers_dir, const std::string& target) {
  auto attach_idmapped = [&](const std::string& source, const std::string& name) -> Status {
    std::string at = layers_dir + "/" + name;
    if (::mkdir(at.c_str(), 0700) < 0 && errno != EEXIST) return Error::from_errno("create " + at);
    Fd tree(::open_tree(AT_FDCWD, source.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
    if (!tree) return Error::from_errno("idmapped overlay: clone layer " + source);
    struct mount_attr attr {};
    attr.attr_set = MOUNT_ATTR_IDMAP;
    attr.userns_fd = static_cast<uint64_t>(userns_fd);
    if (::mount_setattr(tree.get(), "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
      return Error::from_errno("idmapped overlay: idmap layer " + source);
    if (::move_mount(tree.get(), "", AT_FDCWD, at.c_str(), MOVE_MOUNT_F_EMPTY_PATH) < 0)
      return Error::from_errno("idmapped overlay: attach layer " + source + " at " + at);
    return {};
  };
  Fd fs(::fsopen("overlay", FSOPEN_CLOEXEC));
  if (!fs) return Error::from_errno("idmapped overlay: fsopen");
  auto set = [&](const std::string& key, const std::string& value) -> Status {
    if (::fsconfig(fs.get(), FSCONFIG_SET_STRING, key.c_str(), value.c_str(), 0) < 0)
      return Error::from_errno("idmapped overlay: " + key + "=" + value);
    return {};
  };
  for (size_t i = 0; i < layers.lower.size(); ++i) {
    BURROW_TRY(attach_idmapped(layers.lower[i], std::to_string(i)));
    BURROW_TRY(set("lowerdir+", layers_dir + "/" + std::to_string(i)));
  }
  BURROW_TRY(attach_idmapped(parent_of(layers.upper), "upper"));
  size_t cut = parent_of(layers.upper).size();
  BURROW_TRY(set("upperdir", layers_dir + "/upper" + layers.upper.substr(cut)));
  // A work dir of its own beside the engine's: a volatile overlay's (podman's --rm containers)
  // takes no second mount, and sharing one is undefined. Made through the idmapped mount, so
  // it goes when the engine removes the layer.
  std::string work = layers_dir + "/upper/" + kOwnWorkDir;
  if (::mkdir(work.c_str(), 0700) < 0 && errno != EEXIST)
    return Error::from_errno("idmapped overlay: create " + work);
  BURROW_TRY(set("workdir", work));
  for (const auto& option : layers.options) {
    size_t equals = option.find('=');
    if (equals == std::string::npos) {
      if (::fsconfig(fs.get(), FSCONFIG_SET_FLAG, option.c_str(), nullptr, 0) < 0)
        return Error::from_errno("idmapped overlay: " + option);
    } else {
      BURROW_TRY(set(option.substr(0, equals), option.substr(equals + 1)));
    }
  }
  if (::fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0)
    return Error::from_errno("idmapped overlay: create");
  Fd mnt(::fsmount(fs.get(), FSMOUNT_CLOEXEC, 0));
  if (!mnt) return Error::from_errno("idmapped overlay: fsmount");
  if (::move_mount(mnt.get(), "", AT_FDCWD, target.c_str(), MOVE_MOUNT_F_EMPTY_PATH) < 0)
    return Error::from_errno("idmapped overlay: attach at " + target);
  return {};
}

}  // namespace burrow::linux
