// Shared by the shim_io tests: temp dirs and reading a job log back.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/file.hpp"
#include "io/stream.hpp"

namespace burrow::shim::io::testing {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/burrow-shim-io-test.XXXXXX";
    const char* made = ::mkdtemp(tmpl);
    EXPECT_NE(made, nullptr);
    path_ = made ? made : "";
  }
  ~TempDir() {
    if (!path_.empty()) (void)file::remove_all(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string unbase64(const std::string& text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+')
      v = 62;
    else if (c == '/')
      v = 63;
    else
      break;  // padding
    acc = acc << 6 | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>(acc >> bits & 0xFF);
    }
  }
  return out;
}

struct Record {
  std::string time;
  std::string stream;
  std::string text;   // as JSON carries it
  std::string bytes;  // the exact bytes: "bytes" decoded when present, else text
  bool has_bytes = false;
};

// Every record of a job log; a line that is not a JSON object fails the test.
inline std::vector<Record> read_log(const std::string& path) {
  std::vector<Record> records;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(j.is_object()) << line;
    if (!j.is_object()) continue;
    Record r;
    r.time = j.value("time", "");
    r.stream = j.value("stream", "");
    r.text = j.value("text", "");
    r.has_bytes = j.contains("bytes");
    r.bytes = r.has_bytes ? unbase64(j["bytes"].get<std::string>()) : r.text;
    records.push_back(std::move(r));
  }
  return records;
}

// The bytes of one stream, records concatenated.
inline std::string stream_bytes(const std::vector<Record>& records, std::string_view stream) {
  std::string out;
  for (const auto& r : records) {
    if (r.stream == stream) out += r.bytes;
  }
  return out;
}

}  // namespace burrow::shim::io::testing
