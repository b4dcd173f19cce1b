#include "outcome/summary.hpp"

#include <nlohmann/json.hpp>

#include "base/file.hpp"
#include "base/signals.hpp"
#include "io/time_format.hpp"

namespace burrow::shim::outcome {

namespace {

std::string timestamp(std::chrono::system_clock::time_point when) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(when.time_since_epoch());
  struct timespec ts {};
  ts.tv_sec = static_cast<time_t>(ns.count() / 1'000'000'000);
  ts.tv_nsec = static_cast<long>(ns.count() % 1'000'000'000);
  if (ts.tv_nsec < 0) {  // before 1970: keep the fraction positive
    ts.tv_nsec += 1'000'000'000;
    --ts.tv_sec;
  }
  return io::rfc3339_nano(ts);
}

template <typename T>
nlohmann::ordered_json or_null(const std::optional<T>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

}  // namespace

int exit_code_for(const Summary& summary) {
  if (summary.infra) return static_cast<int>(summary.infra->kind);
  if (summary.timed_out) return static_cast<int>(ExitCode::kTimedOut);
  if (summary.cancelled) return static_cast<int>(ExitCode::kCancelled);
  if (summary.signal) return 128 + *summary.signal;
  if (summary.exit_code) return *summary.exit_code;
  return static_cast<int>(ExitCode::kSystemFailure);
}

FailureClass classify(const Summary& summary) {
  if (summary.infra) return FailureClass::kSystem;
  if (summary.timed_out || summary.cancelled || summary.signal) return FailureClass::kBuild;
  if (summary.exit_code)
    return *summary.exit_code == 0 ? FailureClass::kNone : FailureClass::kBuild;
  return FailureClass::kSystem;
}

std::string summary_json(const Summary& summary) {
  nlohmann::ordered_json j;
  j["job"] = summary.job;
  j["exit_code"] = or_null(summary.exit_code);
  j["signal"] = summary.signal ? nlohmann::ordered_json(signal_name(*summary.signal))
                               : nlohmann::ordered_json(nullptr);
  j["timed_out"] = summary.timed_out;
  j["cancelled"] = summary.cancelled;
  j["oom_killed"] = summary.oom_killed;
  j["infra_failure"] = summary.infra.has_value();
  j["infra_error"] = summary.infra ? nlohmann::ordered_json(summary.infra->message)
                                   : nlohmann::ordered_json(nullptr);
  j["infra_kind"] = summary.infra
                        ? nlohmann::ordered_json(std::string(exit_code_name(summary.infra->kind)))
                        : nlohmann::ordered_json(nullptr);
  j["shim_exit_code"] = exit_code_for(summary);
  auto& phases = j["phases"] = nlohmann::ordered_json::object();
  for (size_t i = 0; i < kPhaseCount; ++i) {
    phases[std::string(phase_name(static_cast<Phase>(i)))] = or_null(summary.phases[i]);
  }
  j["started_at"] = timestamp(summary.started_at);
  j["finished_at"] = timestamp(summary.finished_at);
  // Messages come from errors and may carry any bytes: never throw on them.
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

Status write_summary(const std::string& path, const Summary& summary) {
  auto st = file::write_atomic(path, summary_json(summary));
  if (!st) return std::move(st).error().wrap("write summary");
  return {};
}

}  // namespace burrow::shim::outcome
