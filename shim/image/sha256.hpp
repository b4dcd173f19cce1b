// SHA-256 (FIPS 180-4) and the "sha256:<hex>" digest strings OCI and Docker name content by.
// In-process so the store needs no crypto library; only integrity against corruption and
// substituted blobs is asked of it, not speed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace burrow::shim::image {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // Lowercase hex of the digest. Ends the computation: call once.
  std::string hex();

 private:
  void block(const uint8_t* p);
  std::array<uint32_t, 8> h_;
  std::array<uint8_t, 64> buf_{};
  size_t buffered_ = 0;
  uint64_t total_ = 0;
};

// "sha256:" + hex of `data`.
std::string sha256_digest(std::string_view data);
// Hashes what is left to read on `fd`; `what` names it in errors. Returns "sha256:<hex>".
Result<std::string> sha256_fd(int fd, const std::string& what);

// True for "sha256:" followed by 64 lowercase hex digits: the only algorithm the store takes, and
// the check that makes a digest safe to use as a file name.
bool is_sha256_digest(std::string_view digest);
// The hex part of a valid digest ("" when invalid).
std::string digest_hex(std::string_view digest);

}  // namespace burrow::shim::image
