#include "gitlab/stages.hpp"

#include <array>
#include <string>

namespace burrow::shim::gitlab {

Result<Target> stage_target(std::string_view stage) {
  constexpr std::array<std::string_view, 10> kHelperStages = {
      "prepare_script",
      "get_sources",
      "clear_worktree",
      "restore_cache",
      "download_artifacts",
      "archive_cache",
      "archive_cache_on_failure",
      "upload_artifacts_on_success",
      "upload_artifacts_on_failure",
      "cleanup_file_variables",
  };
  for (auto name : kHelperStages) {
    if (stage == name) return Target::kHelper;
  }
  if (stage == "build_script" || stage == "after_script") return Target::kJob;
  constexpr std::string_view kStep = "step_";
  if (stage.size() > kStep.size() && stage.substr(0, kStep.size()) == kStep) return Target::kJob;
  return Error::msg("unknown stage '" + std::string(stage) +
                    "' (not one of GitLab Runner's custom executor stages)");
}

std::string_view target_name(Target target) {
  return target == Target::kJob ? "job" : "helper";
}

}  // namespace burrow::shim::gitlab
