// `burrow-shim cleanup`: what a killed shim left behind. Its pod's processes died with it (the
// infra's pid namespace), but its job dir remains with the runtime's state, cgroups, network
// helpers and overlay mounts. For every job dir whose owner is gone: `burrow delete --force`
// of each container in its state dir (which removes cgroups and helpers), then every mount
// under it (deepest first), then the tree.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"

namespace burrow::shim::run {

struct CleanupReport {
  std::vector<std::string> removed;  // job dirs
  std::vector<std::string> errors;   // one line per failure; the dir is kept then
};

// One job dir whose owner is gone: `burrow delete --force` of each container in its state dir,
// every mount under it, then the tree. The first error; the dir is kept then.
Status remove_job_dir(const std::string& dir, const std::string& runtime_binary);

CleanupReport cleanup_abandoned(const std::string& scratch_root, const std::string& runtime_binary);

// Unmounts (lazily) every mount point at or under `dir`, deepest first.
Status unmount_under(const std::string& dir);

}  // namespace burrow::shim::run
