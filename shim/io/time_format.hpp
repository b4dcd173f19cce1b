// Timestamps as the job log and the summary write them.
#pragma once

#include <time.h>

#include <string>

namespace burrow::shim::io {

// RFC 3339, UTC, always nine fractional digits: "2026-01-05T10:00:00.000000042Z". Fixed width, so
// records sort as text.
std::string rfc3339_nano(const struct timespec& when);
// CLOCK_REALTIME now.
struct timespec realtime_now();

}  // namespace burrow::shim::io
