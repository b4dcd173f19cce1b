// Cgroup delegation (README.md, "Cgroup delegation"): with the annotation
//   run.burrow.cgroup.delegate   true | false (default false)
// the container manages the subtree below its own cgroup: its cgroup dirs and the files that
// create child cgroups and move processes belong to the host ids its root maps to, while the
// limit files stay root's. The limits written by create/update sit in files the container does
// not own, so it cannot raise them; what it makes below inherits them.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace burrow::cgroups {

inline constexpr const char* kDelegateAnnotation = "run.burrow.cgroup.delegate";

// Whether run.burrow.cgroup.delegate asks for delegation. Other annotations are ignored; a value
// other than true/false, or an unknown key under run.burrow.cgroup. (a typo must not silently
// drop the setting), is an error naming the annotation and the value.
Result<bool> delegation_requested(const std::map<std::string, std::string>& annotations);

// Host ids that own a delegated subtree (what uid/gid 0 of the container map to).
struct Owner {
  uid_t uid = 0;
  gid_t gid = 0;
  bool operator==(const Owner&) const = default;
};

// The files of a delegated cgroup dir that change owner with it. cgroup2: the kernel's list
// (/sys/kernel/cgroup/delegate: cgroup.procs, cgroup.threads, cgroup.subtree_control and a few
// safe knobs such as memory.reclaim), or those three when the kernel has no list. v1:
// cgroup.procs, tasks and cgroup.clone_children. Never a limit file (memory.max, pids.max, ...).
std::vector<std::string> delegated_files(bool cgroup2, const std::string& kernel_list);

}  // namespace burrow::cgroups
