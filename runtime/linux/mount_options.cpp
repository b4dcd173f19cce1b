#include "linux/mount_options.hpp"

#include <sys/mount.h>

#include <array>
#include <cstdio>
#include <string_view>

namespace burrow::linux {
namespace {

struct FlagOption {
  std::string_view name;
  bool clear;  // true: the option removes `flag` ("rw", "suid", ...)
  unsigned long flag;
};

constexpr unsigned long kAtimeFlags = MS_NOATIME | MS_RELATIME | MS_STRICTATIME;

constexpr std::array kFlagOptions = {
    FlagOption{"defaults", false, 0},
    FlagOption{"ro", false, MS_RDONLY},
    FlagOption{"rw", true, MS_RDONLY},
    FlagOption{"nosuid", false, MS_NOSUID},
    FlagOption{"suid", true, MS_NOSUID},
    FlagOption{"nodev", false, MS_NODEV},
    FlagOption{"dev", true, MS_NODEV},
    FlagOption{"noexec", false, MS_NOEXEC},
    FlagOption{"exec", true, MS_NOEXEC},
    FlagOption{"sync", false, MS_SYNCHRONOUS},
    FlagOption{"async", true, MS_SYNCHRONOUS},
    FlagOption{"dirsync", false, MS_DIRSYNC},
    FlagOption{"mand", false, MS_MANDLOCK},
    FlagOption{"nomand", true, MS_MANDLOCK},
    FlagOption{"nodiratime", false, MS_NODIRATIME},
    FlagOption{"diratime", true, MS_NODIRATIME},
    FlagOption{"iversion", false, MS_I_VERSION},
    FlagOption{"noiversion", true, MS_I_VERSION},
    FlagOption{"lazytime", false, MS_LAZYTIME},
    FlagOption{"nolazytime", true, MS_LAZYTIME},
    FlagOption{"silent", false, MS_SILENT},
    FlagOption{"loud", true, MS_SILENT},
    FlagOption{"nosymfollow", false, MS_NOSYMFOLLOW},
    FlagOption{"symfollow", true, MS_NOSYMFOLLOW},
    FlagOption{"bind", false, MS_BIND},
    FlagOption{"rbind", false, MS_BIND | MS_REC},
    FlagOption{"remount", false, MS_REMOUNT},
};

// The atime options replace each other (the kernel takes one atime mode per mount).
struct AtimeOption {
  std::string_view name;
  unsigned long flag;  // 0: back to the kernel default (relatime)
};

constexpr std::array kAtimeOptions = {
    AtimeOption{"atime", 0},
    AtimeOption{"noatime", MS_NOATIME},
    AtimeOption{"relatime", MS_RELATIME},
    AtimeOption{"norelatime", MS_STRICTATIME},
    AtimeOption{"strictatime", MS_STRICTATIME},
    AtimeOption{"nostrictatime", 0},
};

struct PropagationOption {
  std::string_view name;
  unsigned long flags;
};

constexpr std::array kPropagationOptions = {
    PropagationOption{"private", MS_PRIVATE},
    PropagationOption{"rprivate", MS_REC | MS_PRIVATE},
    PropagationOption{"shared", MS_SHARED},
    PropagationOption{"rshared", MS_REC | MS_SHARED},
    PropagationOption{"slave", MS_SLAVE},
    PropagationOption{"rslave", MS_REC | MS_SLAVE},
    PropagationOption{"unbindable", MS_UNBINDABLE},
    PropagationOption{"runbindable", MS_REC | MS_UNBINDABLE},
};

struct RecursiveOption {
  std::string_view name;
  uint64_t set;
  uint64_t clear;
};

// mount_setattr: an atime mode is set by clearing the whole MOUNT_ATTR__ATIME field first.
constexpr std::array kRecursiveOptions = {
    RecursiveOption{"rro", MOUNT_ATTR_RDONLY, 0},
    RecursiveOption{"rrw", 0, MOUNT_ATTR_RDONLY},
    RecursiveOption{"rnosuid", MOUNT_ATTR_NOSUID, 0},
    RecursiveOption{"rsuid", 0, MOUNT_ATTR_NOSUID},
    RecursiveOption{"rnodev", MOUNT_ATTR_NODEV, 0},
    RecursiveOption{"rdev", 0, MOUNT_ATTR_NODEV},
    RecursiveOption{"rnoexec", MOUNT_ATTR_NOEXEC, 0},
    RecursiveOption{"rexec", 0, MOUNT_ATTR_NOEXEC},
    RecursiveOption{"rnodiratime", MOUNT_ATTR_NODIRATIME, 0},
    RecursiveOption{"rdiratime", 0, MOUNT_ATTR_NODIRATIME},
    RecursiveOption{"rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0},
    RecursiveOption{"rsymfollow", 0, MOUNT_ATTR_NOSYMFOLLOW},
    RecursiveOption{"ratime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    RecursiveOption{"rnostrictatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    RecursiveOption{"rrelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    RecursiveOption{"rnorelatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME},
    RecursiveOption{"rstrictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME},
    RecursiveOption{"rnoatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME},
};

bool apply_flag_option(const std::string& option, MountOptions& out) {
  for (const auto& f : kFlagOptions) {
    if (f.name != option) continue;
    if (f.clear)
      out.flags &= ~f.flag;
    else
      out.flags |= f.flag;
    return true;
  }
  for (const auto& a : kAtimeOptions) {
    if (a.name != option) continue;
    out.flags = (out.flags & ~kAtimeFlags) | a.flag;
    return true;
  }
  return false;
}

bool apply_recursive_option(const std::string& option, MountAttrChange& out) {
  for (const auto& r : kRecursiveOptions) {
    if (r.name != option) continue;
    // A later option wins over an earlier one touching the same attribute.
    uint64_t touched = r.set | r.clear;
    out.set &= ~touched;
    out.clear &= ~touched;
    out.set |= r.set;
    out.clear |= r.clear;
    return true;
  }
  return false;
}

}  // namespace

unsigned long propagation_flags(const std::string& name) {
  for (const auto& p : kPropagationOptions)
    if (p.name == name) return p.flags;
  return 0;
}

std::string tmpfs_data_with_mode(const std::string& data, unsigned int existing_mode) {
  std::string_view rest = data;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    if (rest.substr(0, comma).starts_with("mode=")) return data;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  char mode[24];
  std::snprintf(mode, sizeof mode, "mode=%o", existing_mode & 07777);
  return data.empty() ? std::string(mode) : data + "," + mode;
}

MountOptions parse_mount_options(const std::vector<std::string>& options) {
  MountOptions out;
  for (const auto& option : options) {
    if (apply_flag_option(option, out)) continue;
    if (unsigned long p = propagation_flags(option); p != 0) {
      out.propagation.push_back(p);
      continue;
    }
    if (apply_recursive_option(option, out.recursive)) continue;
    if (!out.data.empty()) out.data += ',';
    out.data += option;
  }
  return out;
}

}  // namespace burrow::linux
