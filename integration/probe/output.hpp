// The probe's shared helpers: errno names, one-line JSON answers, whole-file reads.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace probe {

inline std::string errno_name(int err) {
  const char* name = strerrorname_np(err);
  return name != nullptr ? name : std::to_string(err);
}

inline nlohmann::json failure(int err) {
  return nlohmann::json{{"ok", false}, {"errno", errno_name(err)}};
}

inline void print(const nlohmann::json& value) {
  // One line, flushed: tests read it from a file while the container may still run.
  std::cout << value.dump() << std::endl;
}

inline std::optional<std::string> read_file(const std::string& path, int* err = nullptr) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (err != nullptr) *err = errno;
    return std::nullopt;
  }
  std::string content;
  char buffer[4096];
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (err != nullptr) *err = errno;
      close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return content;
}

}  // namespace probe
