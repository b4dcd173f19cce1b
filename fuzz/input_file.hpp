// What the harnesses share: the fuzz input as a file (a memfd, named by its /proc/self/fd path),
// so each harness reads it through the same call burrow makes on a real file.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <spdlog/spdlog.h>

#include "base/fd.hpp"

namespace burrow::fuzz {

class InputFile {
 public:
  InputFile() : fd_(::memfd_create("burrow-fuzz-input", MFD_CLOEXEC)) {
    if (!fd_) std::abort();
    path_ = "/proc/self/fd/" + std::to_string(fd_.get());
  }
  // Replaces the content with the input; returns the path to read it at.
  const std::string& hold(const uint8_t* data, size_t size) {
    if (::ftruncate(fd_.get(), 0) < 0) std::abort();
    size_t done = 0;
    while (done < size) {
      ssize_t n = ::pwrite(fd_.get(), data + done, size - done, static_cast<off_t>(done));
      if (n <= 0) std::abort();
      done += static_cast<size_t>(n);
    }
    return path_;
  }

 private:
  Fd fd_;
  std::string path_;
};

// Logging costs time per input and says nothing a harness checks.
inline void quiet_logging() {
  spdlog::set_level(spdlog::level::off);
}

}  // namespace burrow::fuzz
