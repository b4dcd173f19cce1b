// Rules for the mounts list.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "spec/validate_parts.hpp"

namespace burrow::spec::validate_parts {
namespace {

// Options that are mount flags, propagation, recursive attributes or runc extensions. Any other
// option is filesystem data handed to mount(2) ("mode=755", "size=65536k"), so an unknown option
// is not an error.
constexpr std::string_view kFlagOptions[] = {"async",        "atime",        "bind",
                                             "defaults",     "dev",          "diratime",
                                             "dirsync",      "exec",         "iversion",
                                             "lazytime",     "loud",         "mand",
                                             "noatime",      "nodev",        "nodiratime",
                                             "noexec",       "noiversion",   "nolazytime",
                                             "nomand",       "norelatime",   "nostrictatime",
                                             "nosuid",       "nosymfollow",  "rbind",
                                             "relatime",     "remount",      "ro",
                                             "rw",           "silent",       "strictatime",
                                             "suid",         "sync",         "symfollow",
                                             "private",      "rprivate",     "shared",
                                             "rshared",      "slave",        "rslave",
                                             "unbindable",   "runbindable",  "rro",
                                             "rrw",          "rnosuid",      "rsuid",
                                             "rnodev",       "rdev",         "rnoexec",
                                             "rexec",        "rnodiratime",  "rdiratime",
                                             "rrelatime",    "rnorelatime",  "rnoatime",
                                             "ratime",       "rstrictatime", "rnostrictatime",
                                             "rnosymfollow", "rsymfollow",   "idmap",
                                             "ridmap",       "tmpcopyup"};

bool is_flag_option(const std::string& option) {
  return std::find(std::begin(kFlagOptions), std::end(kFlagOptions), option) !=
         std::end(kFlagOptions);
}

bool is_bind(const Mount& mount) {
  return mount.type == "bind" ||
         std::any_of(mount.options.begin(), mount.options.end(),
                     [](const std::string& o) { return o == "bind" || o == "rbind"; });
}

bool has_nul(const std::string& text) {
  return text.find('\0') != std::string::npos;
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
  if (!is_bind(mount)) return {};
  if (mount.source.empty()) return invalid(path + ".source", "bind mount needs a source");
  // The kernel ignores filesystem data on a bind mount; silently dropping it would lie.
  for (size_t i = 0; i < mount.options.size(); ++i) {
    if (!is_flag_option(mount.options[i])) {
      return invalid(at(path + ".options", i),
                     "bind mounts cannot have any filesystem-specific options applied");
    }
  }
  return {};
}

}  // namespace

Status check_mounts(const Spec& spec) {
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    BURROW_TRY(check_mount(spec.mounts[i], at("mounts", i)));
  }
  return {};
}

}  // namespace burrow::spec::validate_parts
