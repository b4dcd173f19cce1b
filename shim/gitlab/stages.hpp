// The stages GitLab Runner hands `run_exec` as its second argument, and which container of the
// job's pod runs each. The user's own scripts run in the job container (the job's image);
// the runner's plumbing (sources, caches, artifacts, file variables) runs in the helper
// container, which shares the workspace (builds dir) and the cache dir with it.
#pragma once

#include <string_view>

#include "base/error.hpp"

namespace burrow::shim::gitlab {

enum class Target { kJob, kHelper };

// build_script, step_script, step_<name> and after_script: the job container; prepare_script,
// get_sources, clear_worktree, restore_cache, download_artifacts, archive_cache,
// archive_cache_on_failure, upload_artifacts_on_success, upload_artifacts_on_failure and
// cleanup_file_variables: the helper. Any other name is an error naming it (a newer runner's
// stage is not guessed at).
Result<Target> stage_target(std::string_view stage);

std::string_view target_name(Target target);

}  // namespace burrow::shim::gitlab
