// Which stream bytes came from: the job's (or a service's) stdout or stderr, or burrow-shim's own
// notes about the job ("system").
#pragma once

#include <string_view>

namespace burrow::shim::io {

enum class Stream { kStdout, kStderr, kSystem };

constexpr std::string_view stream_name(Stream stream) {
  switch (stream) {
    case Stream::kStdout:
      return "stdout";
    case Stream::kStderr:
      return "stderr";
    case Stream::kSystem:
      return "system";
  }
  return "system";
}

}  // namespace burrow::shim::io
