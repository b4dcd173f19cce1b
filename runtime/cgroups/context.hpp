// Everything the cgroups code reads about the host comes in through a CgroupsContext, so unit
// tests run against a temporary directory laid out like /sys/fs/cgroup.
#pragma once

#include <string>

#include "base/error.hpp"

namespace burrow::cgroups {

struct CgroupsContext {
  // Hierarchies are the cgroup/cgroup2 mounts at or below this directory.
  std::string root = "/sys/fs/cgroup";
  std::string mountinfo;    // contents of /proc/self/mountinfo
  std::string self_cgroup;  // contents of /proc/self/cgroup
  // Contents of /sys/kernel/cgroup/delegate (the cgroup2 files safe to hand over); may be empty.
  std::string kernel_delegate_list;
  // For temp-dir tests only: behave as cgroupfs does by itself — control files are created by
  // the first write (each write appends one line, so tests see every write in order) and
  // removed with their directory.
  bool emulate_cgroupfs = false;
};

// The real host: /sys/fs/cgroup and this process's /proc/self files.
Result<CgroupsContext> host_context();

}  // namespace burrow::cgroups
