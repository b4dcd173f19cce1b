// Rules for the mounts list.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "spec/known_names.hpp"
#include "spec/validate_parts.hpp"

namespace burrow::spec::validate_parts {
namespace {

// Options that are mount flags, propagation, recursive attributes or runc extensions. Any other
// option is filesystem data handed to mount(2) ("mode=755", "size=65536k"), so an unknown option
// is not an error.
bool is_flag_option(const std::string& option) {
  return is_recognized_mount_option(option);
}

bool has_nul(const std::string& text) {
  return text.find('\0') != std::string::npos;
}

// "/proc/./sys/../sys/" -> "/proc/sys": ".." stops at "/", as the kernel resolves it.
std::string lexically_clean(const std::string& path) {
  std::vector<std::string> kept;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = std::min(path.find('/', start), path.size());
    std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (!kept.empty()) kept.pop_back();
    } else if (!part.empty() && part != ".") {
      kept.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& part : kept) out += "/" + part;
  return out.empty() ? "/" : out;
}

// The runtime writes to /proc (sysctls, masks) and must reach the kernel there (CVE-2025-52881
// class): /proc takes only a proc filesystem (or a bind the runtime finds to be procfs), and
// inside /proc only binds over lxcfs's files, as runc allows.
Status check_proc_destination(const Mount& mount, const std::string& path) {
  std::string clean = lexically_clean(mount.destination);
  if (clean == "/proc") {
    if (mount.type == "proc" || mount.is_bind()) return {};
    return invalid(path + ".destination",
                   "\"/proc\" may hold only a proc filesystem, not type " + in_quotes(mount.type));
  }
  if (!clean.starts_with("/proc/")) return {};
  if (mount.is_bind() && is_bindable_proc_file(clean)) return {};
  return invalid(path + ".destination",
                 in_quotes(clean) +
                     " is inside /proc, where only lxcfs's files (/proc/cpuinfo, /proc/meminfo, "
                     "...) may be mounted");
}

Status check_mount(const Mount& mount, const std::string& path) {
  if (mount.destination.empty()) {
    return invalid(path + ".destination", "mount destination must not be empty");
  }
  if (has_nul(mount.destination) || has_nul(mount.source) || has_nul(mount.type)) {
    return invalid(path, "mount field contains null byte");
  }
  // The runtime-spec says the destination MUST be absolute. runc 1.2 takes a relative one as
  // relative to "/" with a warning, for old bundles; a sandbox refuses what the spec forbids.
  if (!is_absolute(mount.destination)) {
    return invalid(path + ".destination",
                   in_quotes(mount.destination) + " is not an absolute path");
  }
  BURROW_TRY(check_proc_destination(mount, path));
  if (!mount.is_bind()) return {};
  if (mount.source.empty()) return invalid(path + ".source", "bind mount needs a source");
  // The kernel takes no filesystem data for a bind: runc 1.1 passes it to mount(2), which drops
  // it, and configs written for runc carry such options ("mode=755" on a bind). Ignored, as
  // there; the flags among the options still apply.
  std::string ignored;
  for (const auto& option : mount.options) {
    if (!is_flag_option(option)) ignored += (ignored.empty() ? "" : ",") + option;
  }
  if (!ignored.empty()) {
    spdlog::debug(
        "config.json: {}.options: ignoring \"{}\": a bind mount takes no "
        "filesystem-specific options (as runc 1.1)",
        path, ignored);
  }
  return {};
}

// The first field that asks for an idmapped mount, or "".
std::string idmap_request(const Mount& mount, const std::string& path) {
  if (!mount.uid_mappings.empty()) return path + ".uidMappings";
  if (!mount.gid_mappings.empty()) return path + ".gidMappings";
  for (size_t i = 0; i < mount.options.size(); ++i) {
    if (mount.options[i] == "idmap" || mount.options[i] == "ridmap") {
      return at(path + ".options", i);
    }
  }
  return "";
}

// The kernel takes each range as it is; an empty or wrapping range would fail late (EINVAL
// while writing uid_map) instead of naming the field.
Status check_id_ranges(const std::vector<IdMapping>& mappings, const std::string& path) {
  for (size_t i = 0; i < mappings.size(); ++i) {
    const IdMapping& m = mappings[i];
    if (m.size == 0) return invalid(at(path, i) + ".size", "mapping size must not be 0");
    uint64_t end = std::max(m.container_id, m.host_id) + uint64_t{m.size};
    if (end > uint64_t{UINT32_MAX} + 1) {
      return invalid(at(path, i), "mapping range overflows 32-bit ids");
    }
  }
  return {};
}

// Idmapped mounts (runtime-spec 1.2): a bind with both maps, or the idmap/ridmap option, which
// without maps of its own borrows the container's user namespace maps.
Status check_idmapped(const Spec& spec, const Mount& mount, const std::string& path) {
  std::string request = idmap_request(mount, path);
  if (request.empty()) return {};
  if (!mount.is_bind()) return invalid(request, "idmapped mounts must be bind mounts");
  BURROW_TRY(check_id_ranges(mount.uid_mappings, path + ".uidMappings"));
  BURROW_TRY(check_id_ranges(mount.gid_mappings, path + ".gidMappings"));
  bool has_uid = !mount.uid_mappings.empty();
  bool has_gid = !mount.gid_mappings.empty();
  if (has_uid && !has_gid) {
    return invalid(path + ".gidMappings", "idmapped mounts need both uid and gid mappings");
  }
  if (has_gid && !has_uid) {
    return invalid(path + ".uidMappings", "idmapped mounts need both uid and gid mappings");
  }
  if (has_uid) return {};
  bool container_maps = spec.linux && spec.find_namespace(NamespaceType::user) &&
                        !spec.linux->uid_mappings.empty() && !spec.linux->gid_mappings.empty();
  if (!container_maps) {
    return invalid(request,
                   "idmapped mount without mappings needs a user namespace with "
                   "linux.uidMappings and linux.gidMappings");
  }
  return {};
}

}  // namespace

Status check_mounts(const Spec& spec) {
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    BURROW_TRY(check_mount(spec.mounts[i], at("mounts", i)));
    BURROW_TRY(check_idmapped(spec, spec.mounts[i], at("mounts", i)));
  }
  return {};
}

}  // namespace burrow::spec::validate_parts
