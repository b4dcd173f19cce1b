// The job log: JSON lines, one object per record, appended and written with one write(2) each
// (no user-space buffer: a crash loses at most the record being formed).
//
//   {"time":"2026-01-05T10:00:00.123456789Z","stream":"stdout","text":"hello\n"}
//
// A record is one line of one stream, its "\n" included. Bytes after a stream's last newline are
// held until the newline comes, until they reach max_record bytes (then written as a record
// without "\n", cut before a multi-byte character rather than inside it), or until end(stream).
// So the texts of a stream's records, concatenated, are exactly its bytes.
//
// Bytes that are not UTF-8: JSON strings cannot carry them. Such a record keeps "text" readable
// (each bad byte becomes U+FFFD) and adds "bytes": the record's exact bytes in base64. A reader
// that wants the bytes takes "bytes" when present, else "text" — lossless either way.
//
// "time" is when the record was written (its line completed), CLOCK_REALTIME, UTC.
//
// One source per stream: two sources writing to the same stream of one log would mix their
// partial lines (give each service its own log).
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "io/sink.hpp"

namespace burrow::shim::io {

class JobLog final : public Sink {
 public:
  struct Options {
    size_t max_record = 64 * 1024;  // held bytes of a line written as a partial record
  };

  // Creates or appends to `path` (O_APPEND|O_CLOEXEC, mode 0644).
  static Result<JobLog> open(const std::string& path, Options options);
  static Result<JobLog> open(const std::string& path) { return open(path, Options{}); }

  const std::string& name() const override { return name_; }
  Status write(Stream stream, std::string_view data) override;
  Status end(Stream stream) override;
  // A system record (a newline is added when missing); for burrow-shim's own messages.
  Status note(std::string_view text);
  // Everything held back, for every stream (at the end of the job).
  Status end_all();

  // One record, newline included, as it is written to the file (exposed for tests).
  static std::string format_record(const struct timespec& when, Stream stream,
                                   std::string_view text);

 private:
  JobLog(std::string path, Fd fd, Options options)
      : name_("job log " + path), fd_(std::move(fd)), options_(options) {}
  Status emit(Stream stream, std::string_view text);
  std::string& held(Stream stream) { return held_[static_cast<size_t>(stream)]; }

  std::string name_;
  Fd fd_;
  Options options_;
  std::array<std::string, 3> held_;  // per Stream: the bytes after its last newline
};

}  // namespace burrow::shim::io
