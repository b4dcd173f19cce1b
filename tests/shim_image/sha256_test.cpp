#include "image/sha256.hpp"

#include <gtest/gtest.h>

namespace burrow::shim::image {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_digest(""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_digest("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_digest(std::string(1000000, 'a')),
            "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, UpdatesInPiecesEqualOneUpdate) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += static_cast<char>(i * 7);
  for (size_t step : {1u, 3u, 55u, 56u, 63u, 64u, 65u, 200u}) {
    Sha256 hash;
    for (size_t off = 0; off < data.size(); off += step) hash.update(data.substr(off, step));
    EXPECT_EQ("sha256:" + hash.hex(), sha256_digest(data)) << "step " << step;
  }
}

TEST(Sha256, DigestSyntax) {
  std::string good = "sha256:" + std::string(64, 'a');
  EXPECT_TRUE(is_sha256_digest(good));
  EXPECT_EQ(digest_hex(good), std::string(64, 'a'));
  EXPECT_FALSE(is_sha256_digest("sha256:" + std::string(63, 'a')));
  EXPECT_FALSE(is_sha256_digest("sha256:" + std::string(64, 'A')));
  EXPECT_FALSE(is_sha256_digest("sha512:" + std::string(64, 'a')));
  EXPECT_FALSE(is_sha256_digest("sha256:../../../../../../../../../../../../../../etc/passwd00"));
  EXPECT_EQ(digest_hex("sha256:x"), "");
}

}  // namespace
}  // namespace burrow::shim::image
