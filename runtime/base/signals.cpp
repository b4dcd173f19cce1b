#include "base/signals.hpp"

#include <csignal>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

namespace burrow {
namespace {

// The names Go's x/sys/unix knows (and so runc): one name per number, no aliases such as SIGIOT.
constexpr std::array<std::string_view, 32> kNames = {
    "",          "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
    "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
    "SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
    "SIGXCPU",   "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS",
};

std::optional<int> parse_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);  // Go's Atoi takes "+9"
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "RTMIN", "RTMIN+n", "RTMAX", "RTMAX-n" (upper case, no SIG prefix), within the RT range.
std::optional<int> parse_realtime(std::string_view name) {
  const bool from_min = name.starts_with("RTMIN");
  if (!from_min && !name.starts_with("RTMAX")) return std::nullopt;
  std::string_view rest = name.substr(5);
  int offset = 0;
  if (!rest.empty()) {
    if (rest.front() != (from_min ? '+' : '-')) return std::nullopt;
    rest.remove_prefix(1);
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), offset);
    if (rest.empty() || ec != std::errc() || end != rest.data() + rest.size()) return std::nullopt;
  }
  const int signal = from_min ? SIGRTMIN + offset : SIGRTMAX - offset;
  if (signal < SIGRTMIN || signal > SIGRTMAX) return std::nullopt;
  return signal;
}

}  // namespace

Result<int> parse_signal(std::string_view text) {
  if (auto number = parse_number(text)) {
    if (*number < 0 || *number > SIGRTMAX) {
      return Error::msg("invalid signal number " + std::string(text), EINVAL);
    }
    return *number;
  }
  std::string name(text);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (!name.starts_with("SIG")) name.insert(0, "SIG");
  const auto known = std::find(kNames.begin() + 1, kNames.end(), name);
  if (known != kNames.end()) return static_cast<int>(known - kNames.begin());
  if (auto realtime = parse_realtime(std::string_view(name).substr(3))) return *realtime;
  return Error::msg("unknown signal \"" + std::string(text) + "\"", EINVAL);
}

std::string signal_name(int signal) {
  if (signal > 0 && signal < static_cast<int>(kNames.size())) return std::string(kNames[signal]);
  if (signal >= SIGRTMIN && signal <= SIGRTMAX) {
    const int from_min = signal - SIGRTMIN;
    const int to_max = SIGRTMAX - signal;
    if (from_min == 0) return "SIGRTMIN";
    if (to_max == 0) return "SIGRTMAX";
    // Docker's convention: the lower half counts up from RTMIN, the upper half down from RTMAX.
    if (from_min <= to_max) return "SIGRTMIN+" + std::to_string(from_min);
    return "SIGRTMAX-" + std::to_string(to_max);
  }
  return "SIG" + std::to_string(signal);
}

}  // namespace burrow
