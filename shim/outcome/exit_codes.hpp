// burrow-shim's exit codes: one table, so the driver that maps them to GitLab's custom executor
// (BUILD_FAILURE_EXIT_CODE / SYSTEM_FAILURE_EXIT_CODE, handed to it at run time) and people
// reading a CI log agree on what each means.
//
// When the job's script decided the outcome, the shim exits with the script's own code: 0, 1,
// `exit 7` -> 7, 126/127 (not executable / not found, the shell's), 128+N when a signal killed
// the shell (137 for SIGKILL, the OOM killer's) — what `docker run` and the shells report. Those
// are the job's, a build failure for GitLab.
//
// Everything else gets a code of its own, in 240..244:
//   - above 128+64 = 192, the highest 128+N a shell reports for a signal (SIGRTMAX is 64);
//   - below 255, which `exit -1` and ssh's own failures produce;
//   - clear of 124/125 (GNU timeout's "timed out" / "timeout failed") and 126/127;
//   - in the 200..254 range LSB leaves to applications, which scripts rarely use on purpose.
// A script can still `exit 241`; the summary file (infra_failure, timed_out, cancelled) is the
// authority, the code the quick answer.
//
// Usage errors (bad flags) exit 2 like other CLIs (getopt tools, Boost.Program_options users):
// they happen before any job exists, so no summary is written — which is how a driver tells them
// from a script's `exit 2`.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace burrow::shim::outcome {

// How GitLab should see an outcome.
enum class FailureClass {
  kNone,    // success
  kBuild,   // the job failed (BUILD_FAILURE_EXIT_CODE): retrying the same commit fails again
  kSystem,  // the infrastructure failed (SYSTEM_FAILURE_EXIT_CODE): `retry: runner_system_failure`
};

enum class ExitCode : int {
  kSuccess = 0,
  kUsage = 2,
  // The runtime or the pod could not be set up or torn down, or the shim itself failed.
  kSystemFailure = 240,
  // The job's image (or a service's) is missing, cannot be pulled or is not a valid image. A
  // system failure as GitLab's docker executor reports pull failures.
  kImageFailure = 241,
  // A service failed in a way the job cannot run without (burrow's fatal mode; GitLab itself only
  // warns when a service does not come up).
  kServiceFailure = 242,
  // The job ran longer than its timeout and was stopped. A build failure: GitLab's
  // job_execution_timeout; retrying as a system failure would not help.
  kTimedOut = 243,
  // SIGINT/SIGTERM reached the shim (the runner cancelling the job). The runner knows it
  // cancelled; classed as a build failure so that a cancelled job is never retried.
  kCancelled = 244,
};

struct ExitCodeInfo {
  ExitCode code;
  std::string_view name;  // as the summary's "infra_kind" and notes name it
  FailureClass failure_class;
  std::string_view meaning;
};

inline constexpr std::array<ExitCodeInfo, 7> kExitCodes{{
    {ExitCode::kSuccess, "success", FailureClass::kNone, "the job's script succeeded"},
    {ExitCode::kUsage, "usage", FailureClass::kSystem, "burrow-shim was called wrongly"},
    {ExitCode::kSystemFailure, "system", FailureClass::kSystem,
     "runtime, pod or burrow-shim failure"},
    {ExitCode::kImageFailure, "image", FailureClass::kSystem, "image missing or invalid"},
    {ExitCode::kServiceFailure, "service", FailureClass::kSystem, "a service failed fatally"},
    {ExitCode::kTimedOut, "timeout", FailureClass::kBuild, "the job timed out"},
    {ExitCode::kCancelled, "cancelled", FailureClass::kBuild, "the job was cancelled"},
}};

constexpr const ExitCodeInfo* find_exit_code(int code) {
  for (const auto& info : kExitCodes) {
    if (static_cast<int>(info.code) == code) return &info;
  }
  return nullptr;
}

constexpr std::string_view exit_code_name(ExitCode code) {
  const auto* info = find_exit_code(static_cast<int>(code));
  return info ? info->name : "unknown";
}

// How a driver classes a shim exit code: the table's entries first (2 only when no summary was
// written, see above); any other non-zero code is the script's, a build failure.
constexpr FailureClass classify(int code, bool summary_written) {
  if (code == static_cast<int>(ExitCode::kUsage) && summary_written) return FailureClass::kBuild;
  if (const auto* info = find_exit_code(code)) return info->failure_class;
  return FailureClass::kBuild;
}

}  // namespace burrow::shim::outcome
