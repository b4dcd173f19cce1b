// Logging in runc's formats, so that callers that parse runc's log keep working: containerd's runc
// shim reads `--log FILE --log-format json` line by line and shows the last error's msg; people and
// conmon read stderr. One sync sink writing whole lines with write(2): burrow forks and never runs
// threads, and an unflushed stdio buffer would be duplicated into the child.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace burrow::logging {

struct LogConfig {
  std::string file;    // --log; empty: stderr
  bool json = false;   // --log-format json
  bool debug = false;  // --debug: level debug (default: info, like logrus)
};

// Installs spdlog's default logger (the one accepted global). On failure (the log file cannot be
// opened) logging goes to stderr in the requested format and the error is returned.
Status setup_logging(const LogConfig& config);

// Reports a fatal error once, as runc does: through the logger, and when the logger writes to a
// file, also as the bare message on stderr.
void report_error(const LogConfig& config, std::string_view message);

// --- pure helpers (exposed for tests) ---

// "2026-11-29T10:00:00Z"
std::string rfc3339_utc(std::chrono::system_clock::time_point when);
// logrus's name for an spdlog level name: "warn" -> "warning", "critical" -> "fatal", ...
std::string_view logrus_level(std::string_view spdlog_level);
// One line with trailing newline, logrus JSON:
//   {"level":"error","msg":"...","time":"..."}
// or logrus text:
//   time="..." level=error msg="..."
std::string format_line(bool json, std::string_view level, std::string_view message,
                        std::chrono::system_clock::time_point when);

}  // namespace burrow::logging
