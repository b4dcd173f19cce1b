#include "io/job_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <nlohmann/json.hpp>

#include "io/time_format.hpp"
#include "io/utf8.hpp"

namespace burrow::shim::io {

namespace {

// All of `data`, retrying short writes (a full disk shows as ENOSPC on the retry).
Status write_all(int fd, std::string_view data, const std::string& what) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("write " + what);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

}  // namespace

Result<JobLog> JobLog::open(const std::string& path, Options options) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (!fd) return Error::from_errno("open job log " + path);
  if (options.max_record == 0) options.max_record = 1;
  return JobLog(path, std::move(fd), options);
}

std::string JobLog::format_record(const struct timespec& when, Stream stream,
                                  std::string_view text) {
  // ordered_json: the keys in the order people read them (time, stream, text).
  nlohmann::ordered_json record;
  record["time"] = rfc3339_nano(when);
  record["stream"] = stream_name(stream);
  record["text"] = std::string(text);
  const bool lossless = valid_utf8(text);
  if (!lossless) record["bytes"] = base64(text);
  return record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

Status JobLog::emit(Stream stream, std::string_view text) {
  // A record is at most max_record bytes, whether the line came whole or was held.
  while (text.size() > options_.max_record) {
    const size_t cut = utf8_cut(text, options_.max_record);
    BURROW_TRY(
        write_all(fd_.get(), format_record(realtime_now(), stream, text.substr(0, cut)), name_));
    text.remove_prefix(cut);
  }
  return write_all(fd_.get(), format_record(realtime_now(), stream, text), name_);
}

Status JobLog::write(Stream stream, std::string_view data) {
  std::string& partial = held(stream);
  for (;;) {
    const auto newline = data.find('\n');
    if (newline == std::string_view::npos) break;
    const auto line = data.substr(0, newline + 1);
    data.remove_prefix(newline + 1);
    if (partial.empty()) {
      BURROW_TRY(emit(stream, line));  // the common case: no copy
      continue;
    }
    partial.append(line);
    // Emptied before the write: on failure the sink is dropped anyway.
    const std::string record = std::move(partial);
    partial.clear();
    BURROW_TRY(emit(stream, record));
  }
  partial.append(data);
  if (partial.size() >= options_.max_record) {
    // Whole records off the front; the rest (less than the cap, or a character the cap would
    // split) stays held.
    const size_t keep = partial.size() % options_.max_record;
    size_t cut = partial.size() - keep;
    cut = utf8_cut(partial, cut);
    const std::string records = partial.substr(0, cut);
    partial.erase(0, cut);
    BURROW_TRY(emit(stream, records));
  }
  return {};
}

Status JobLog::end(Stream stream) {
  std::string& partial = held(stream);
  if (partial.empty()) return {};
  const std::string record = std::move(partial);
  partial.clear();
  return emit(stream, record);
}

Status JobLog::note(std::string_view text) {
  BURROW_TRY(write(Stream::kSystem, text));
  if (text.empty() || text.back() != '\n') BURROW_TRY(write(Stream::kSystem, "\n"));
  return {};
}

Status JobLog::end_all() {
  for (Stream stream : {Stream::kStdout, Stream::kStderr, Stream::kSystem}) {
    BURROW_TRY(end(stream));
  }
  return {};
}

}  // namespace burrow::shim::io
