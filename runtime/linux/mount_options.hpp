// Mount options as written in config.json ("ro", "nosuid", "rbind", "rshared", "rro",
// "mode=755", ...) turned into what the kernel takes: MS_* flags for mount(2), propagation
// changes (each a separate mount(2) call, as the kernel wants), recursive attributes for
// mount_setattr(AT_RECURSIVE), and the rest as the filesystem's data string. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace burrow::linux {

// Changes for mount_setattr(2): struct mount_attr's attr_set / attr_clr.
struct MountAttrChange {
  uint64_t set = 0;
  uint64_t clear = 0;
  bool empty() const { return set == 0 && clear == 0; }
  bool operator==(const MountAttrChange&) const = default;
};

struct MountOptions {
  unsigned long flags = 0;                 // MS_RDONLY, MS_NOSUID, MS_BIND, MS_REC, ...
  std::vector<unsigned long> propagation;  // e.g. {MS_REC | MS_SHARED}, in the order written
  MountAttrChange recursive;               // rro, rnosuid, ... (mount_setattr AT_RECURSIVE)
  std::string data;                        // unknown options, comma-joined: "mode=755,size=65536k"
};

// Options are applied in order, so "ro,rw" ends read-write.
MountOptions parse_mount_options(const std::vector<std::string>& options);

// A tmpfs's data string with the root mode it starts with: `data` as it is when it names a
// `mode=` (the config asked for that mode), else with `mode=<existing_mode, octal>` added. runc
// and crun give a tmpfs without `mode=` the mode of the directory it covers (a tmpfs on a 0700
// /root stays 0700), not the kernel's 1777.
std::string tmpfs_data_with_mode(const std::string& data, unsigned int existing_mode);

// Propagation flags (MS_REC|MS_SHARED ...) for "rshared" etc.; 0 when `name` is not one.
unsigned long propagation_flags(const std::string& name);

}  // namespace burrow::linux
