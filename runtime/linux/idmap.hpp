// User namespace id maps, written by the parent into /proc/<pid>/{uid,gid}_map.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/error.hpp"
#include "spec/model.hpp"

namespace burrow::linux {

// "0 100000 65536\n..." — the kernel's format, one mapping a line.
std::string format_id_map(const std::vector<spec::IdMapping>& mappings);

// Writes gid_map (after setgroups "deny" when deny_setgroups) and uid_map of `pid`. As root
// (the root-mode runtime) the files are written directly.
Status write_id_maps(pid_t pid, const std::vector<spec::IdMapping>& uid_mappings,
                     const std::vector<spec::IdMapping>& gid_mappings, bool deny_setgroups);

// How the maps of a new user namespace get written.
enum class IdMapWriter {
  direct,                 // root: any mapping, written to /proc/<pid>/*_map
  direct_deny_setgroups,  // rootless, one mapping of the caller's own uid and gid: the kernel
                          // lets the namespace's owner write that after setgroups "deny"
  newidmap,               // rootless, anything else: the setuid newuidmap/newgidmap, which
                          // allow the ranges /etc/subuid and /etc/subgid grant the caller
};

IdMapWriter choose_id_map_writer(bool rootless, const std::vector<spec::IdMapping>& uid_mappings,
                                 const std::vector<spec::IdMapping>& gid_mappings, uid_t euid,
                                 gid_t egid);

// argv of `tool <pid> <containerID> <hostID> <size>...` (newuidmap's and newgidmap's form).
std::vector<std::string> newidmap_argv(const std::string& tool, pid_t pid,
                                       const std::vector<spec::IdMapping>& mappings);

// Writes both maps of `pid` the way `writer` says. newuidmap/newgidmap failures name the
// command and carry its exit status and stderr.
Status write_id_maps_with(IdMapWriter writer, pid_t pid,
                          const std::vector<spec::IdMapping>& uid_mappings,
                          const std::vector<spec::IdMapping>& gid_mappings);

}  // namespace burrow::linux
