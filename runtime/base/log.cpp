#include "base/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <cerrno>
#include <ctime>
#include <memory>

#include "base/fd.hpp"

namespace burrow::logging {
namespace {

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere left to report a failing log write
    data.remove_prefix(static_cast<size_t>(n));
  }
}

// Length of the valid UTF-8 sequence at the start of `s`, or 0 when it is not valid.
size_t utf8_sequence_length(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(0);
  size_t length = 0;
  char32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF)
    length = 2, min = 0x80;
  else if (lead >= 0xE0 && lead <= 0xEF)
    length = 3, min = 0x800;
  else if (lead >= 0xF0 && lead <= 0xF4)
    length = 4, min = 0x10000;
  else
    return 0;
  if (s.size() < length) return 0;
  char32_t code = lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i) & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

void append_hex(std::string& out, const char* prefix, unsigned value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += prefix;
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xF];
}

// A JSON string the way Go's encoding/json writes it (logrus's JSONFormatter): HTML-sensitive
// characters escaped, invalid UTF-8 replaced by U+FFFD.
std::string json_quote(std::string_view text) {
  std::string out = "\"";
  while (!text.empty()) {
    const unsigned char c = static_cast<unsigned char>(text.front());
    if (c >= 0x80) {
      const size_t length = utf8_sequence_length(text);
      const std::string_view sequence = text.substr(0, length);
      if (length == 0)
        out += "\\ufffd";
      else if (sequence == "\u2028" || sequence == "\u2029")
        append_hex(out, "\\u", sequence == "\u2028" ? 0x2028 : 0x2029, 4);
      else
        out += sequence;
      text.remove_prefix(length == 0 ? 1 : length);
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == '<' || c == '>' || c == '&')
          append_hex(out, "\\u", c, 4);
        else
          out += static_cast<char>(c);
    }
    text.remove_prefix(1);
  }
  return out + "\"";
}

// logrus's text formatter quotes a value unless it is made of these characters only.
bool needs_quoting(std::string_view text) {
  for (const char ch : text) {
    const bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                       (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' ||
                       ch == '/' || ch == '@' || ch == '^' || ch == '+';
    if (!plain) return true;
  }
  return false;
}

// Go's %q for the ASCII range; bytes >= 0x80 are passed through.
std::string go_quote(std::string_view text) {
  std::string out = "\"";
  for (const char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (c < 0x20 || c == 0x7F)
          append_hex(out, "\\x", c, 2);
        else
          out += ch;
    }
  }
  return out + "\"";
}

std::string text_value(std::string_view text) {
  return needs_quoting(text) ? go_quote(text) : std::string(text);
}

// Formats every record in logrus's layout; the logger's pattern is never used.
class LogrusFormatter final : public spdlog::formatter {
 public:
  explicit LogrusFormatter(bool json) : json_(json) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto level = spdlog::level::to_string_view(msg.level);
    const std::string line = format_line(json_, logrus_level({level.data(), level.size()}),
                                         {msg.payload.data(), msg.payload.size()}, msg.time);
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<LogrusFormatter>(json_);
  }

 private:
  bool json_;
};

// Writes each formatted line with one write(2): no stdio buffer to duplicate across fork, and
// O_APPEND keeps lines from concurrent writers whole.
class FdSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 public:
  explicit FdSink(int fd, Fd owned = Fd()) : fd_(fd), owned_(std::move(owned)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    write_all(fd_, {line.data(), line.size()});
  }
  void flush_() override {}

 private:
  int fd_;
  Fd owned_;
};

void install(std::shared_ptr<spdlog::sinks::sink> sink, const LogConfig& config) {
  sink->set_formatter(std::make_unique<LogrusFormatter>(config.json));
  auto logger = std::make_shared<spdlog::logger>("burrow", std::move(sink));
  logger->set_level(config.debug ? spdlog::level::debug : spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace

std::string rfc3339_utc(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char buffer[32];
  const size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(buffer, n);
}

std::string_view logrus_level(std::string_view spdlog_level) {
  if (spdlog_level == "warning" || spdlog_level == "warn") return "warning";
  if (spdlog_level == "error" || spdlog_level == "err") return "error";
  if (spdlog_level == "critical") return "fatal";
  return spdlog_level;  // trace, debug, info: same names
}

std::string format_line(bool json, std::string_view level, std::string_view message,
                        std::chrono::system_clock::time_point when) {
  const std::string time = rfc3339_utc(when);
  if (json) {
    return "{\"level\":" + json_quote(level) + ",\"msg\":" + json_quote(message) +
           ",\"time\":" + json_quote(time) + "}\n";
  }
  return "time=" + text_value(time) + " level=" + text_value(level) +
         " msg=" + text_value(message) + "\n";
}

Status setup_logging(const LogConfig& config) {
  if (config.file.empty()) {
    install(std::make_shared<FdSink>(STDERR_FILENO), config);
    return {};
  }
  const int fd = ::open(config.file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    Error error = Error::from_errno("open " + config.file);
    install(std::make_shared<FdSink>(STDERR_FILENO), config);
    return error;
  }
  install(std::make_shared<FdSink>(fd, Fd(fd)), config);
  return {};
}

void report_error(const LogConfig& config, std::string_view message) {
  spdlog::default_logger_raw()->log(spdlog::level::err,
                                    spdlog::string_view_t(message.data(), message.size()));
  if (!config.file.empty()) {
    std::string line(message);
    line += '\n';
    write_all(STDERR_FILENO, line);
  }
}

}  // namespace burrow::logging
