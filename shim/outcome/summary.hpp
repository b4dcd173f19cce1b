// The job's summary: what burrow-shim writes at the end, for the driver and for people. Written
// atomically (temp file + rename): a reader sees no file or a whole one.
//
//   {
//     "job": "test",
//     "exit_code": 1,            // the script's exit status; null if it did not exit
//     "signal": null,            // "SIGKILL" when a signal killed the job's shell
//     "timed_out": false,
//     "cancelled": false,
//     "oom_killed": false,
//     "infra_failure": false,
//     "infra_error": null,       // the message when infra_failure
//     "infra_kind": null,        // burrow's: "image", "service", "system" (exit_codes.hpp)
//     "shim_exit_code": 1,       // burrow's: what burrow-shim exits with (exit_code_for)
//     "phases": {"image_prepare": 1.5, "services_ready": null, "script": 12.25, ...},
//     "started_at": "2026-01-05T10:00:00.000000000Z",
//     "finished_at": "2026-01-05T10:00:14.000000000Z"
//   }
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "base/error.hpp"
#include "outcome/exit_codes.hpp"
#include "outcome/phase_clock.hpp"

namespace burrow::shim::outcome {

struct InfraFailure {
  ExitCode kind = ExitCode::kSystemFailure;  // kSystemFailure, kImageFailure, kServiceFailure
  std::string message;
};

struct Summary {
  std::string job;
  std::optional<int> exit_code;  // the job's shell exited with this
  std::optional<int> signal;     // ...or was killed by this signal
  bool timed_out = false;
  bool cancelled = false;
  bool oom_killed = false;
  std::optional<InfraFailure> infra;  // the job could not run (or finish) for burrow's reasons
  PhaseTimes phases{};
  std::chrono::system_clock::time_point started_at{};
  std::chrono::system_clock::time_point finished_at{};
};

// What burrow-shim exits with for this outcome, first match wins: an infrastructure failure's
// code, timed out (243), cancelled (244), 128+signal, the script's exit code; 240 when nothing is
// known (the shim failed to learn how the job ended).
int exit_code_for(const Summary& summary);
// How GitLab should see it (FailureClass in exit_codes.hpp), from the summary's fields rather
// than the code, so a script's own `exit 241` stays a build failure.
FailureClass classify(const Summary& summary);

std::string summary_json(const Summary& summary);
Status write_summary(const std::string& path, const Summary& summary);

}  // namespace burrow::shim::outcome
