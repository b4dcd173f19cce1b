#include "io/utf8.hpp"

#include <gtest/gtest.h>

#include "helpers.hpp"

namespace burrow::shim::io {
namespace {

TEST(ValidUtf8, AcceptsAsciiAndWellFormedSequences) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("plain\n"));
  EXPECT_TRUE(valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x87"));  // é € 🐇
  EXPECT_TRUE(valid_utf8("\xf4\x8f\xbf\xbf"));                           // U+10FFFF
}

TEST(ValidUtf8, RejectsWhatJsonCannotCarry) {
  EXPECT_FALSE(valid_utf8("\xff"));
  EXPECT_FALSE(valid_utf8("\x80"));              // lone continuation
  EXPECT_FALSE(valid_utf8("\xc0\x80"));          // overlong NUL
  EXPECT_FALSE(valid_utf8("\xe0\x80\xaf"));      // overlong /
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(valid_utf8("\xe2\x82"));          // truncated
  EXPECT_FALSE(valid_utf8("ab\xe2\x82z"));
}

TEST(Utf8Cut, DoesNotSplitACharacter) {
  const std::string text =
      "ab\xe2\x82\xac"
      "cd";  // ab€cd
  EXPECT_EQ(utf8_cut(text, 2), 2u);
  EXPECT_EQ(utf8_cut(text, 3), 2u);
  EXPECT_EQ(utf8_cut(text, 4), 2u);
  EXPECT_EQ(utf8_cut(text, 5), 5u);
  EXPECT_EQ(utf8_cut(text, 100), text.size());
}

TEST(Utf8Cut, BytesThatAreNotUtf8AreCutAtTheLimit) {
  EXPECT_EQ(utf8_cut("\xff\xff\xff\xff\xff", 3), 3u);
  EXPECT_EQ(utf8_cut("\xe2\x82\xac", 2), 2u);  // nothing before the character: cut inside
}

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  const std::string all_bytes = [] {
    std::string s;
    for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
    return s;
  }();
  EXPECT_EQ(testing::unbase64(base64(all_bytes)), all_bytes);
}

}  // namespace
}  // namespace burrow::shim::io
