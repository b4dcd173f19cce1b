// Signal names as runc's `kill` accepts them. Callers (containerd's go-runc) pass numbers; people
// type names in any case, with or without the SIG prefix.
#pragma once

#include <string>
#include <string_view>

#include "base/error.hpp"

namespace burrow {

// "KILL", "sigkill", "SIGKILL", "9" -> 9. Numbers 0..SIGRTMAX (0 only probes the process).
// Also the real-time forms Docker uses: "RTMIN", "RTMIN+3", "SIGRTMAX-1".
// Unknown names fail with runc's text: unknown signal "FOO".
Result<int> parse_signal(std::string_view text);

// 9 -> "SIGKILL", 36 -> "SIGRTMIN+2"; a number with no name -> "SIG<n>".
std::string signal_name(int signal);

}  // namespace burrow
