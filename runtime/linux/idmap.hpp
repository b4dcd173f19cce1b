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

}  // namespace burrow::linux
