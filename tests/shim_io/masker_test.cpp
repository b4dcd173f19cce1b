// Masking of secret values in relayed output (io/masker).
#include "io/masker.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace burrow::shim::io {
namespace {

// Feeds `chunks` one by one and finishes.
std::string mask(std::vector<std::string> values, std::vector<std::string> chunks) {
  Masker masker(std::move(values));
  std::string out;
  for (const auto& chunk : chunks) out += masker.feed(chunk);
  return out + masker.finish();
}

TEST(Masker, ReplacesEveryOccurrence) {
  EXPECT_EQ(mask({"s3cr3t-value"}, {"a s3cr3t-value b s3cr3t-value\n"}), "a [MASKED] b [MASKED]\n");
  EXPECT_EQ(mask({"s3cr3t-value"}, {"nothing here\n"}), "nothing here\n");
  EXPECT_EQ(mask({}, {"plain"}), "plain");
}

TEST(Masker, ValueSplitAcrossChunks) {
  EXPECT_EQ(mask({"s3cr3t-value"}, {"x s3cr", "3t-va", "lue y"}), "x [MASKED] y");
  // One byte at a time.
  std::vector<std::string> bytes;
  for (char c : std::string("A s3cr3t-value!")) bytes.emplace_back(1, c);
  EXPECT_EQ(mask({"s3cr3t-value"}, bytes), "A [MASKED]!");
}

TEST(Masker, HoldsBackOnlyAPossibleStart) {
  Masker masker({"s3cr3t-value"});
  EXPECT_EQ(masker.feed("abc s3cr"), "abc ");
  EXPECT_EQ(masker.held(), 4u);
  EXPECT_EQ(masker.feed("ap"), "s3crap");  // not the value after all
  EXPECT_EQ(masker.held(), 0u);
  EXPECT_EQ(masker.feed("end s3c"), "end ");
  EXPECT_EQ(masker.finish(), "s3c");  // the stream ended: a partial value is no value
}

TEST(Masker, OverlappingValues) {
  // The longest at the same start wins, also when its end comes in a later chunk.
  EXPECT_EQ(mask({"password", "password-long"}, {"password-long"}), "[MASKED]");
  EXPECT_EQ(mask({"password", "password-long"}, {"password-lo", "ng!"}), "[MASKED]!");
  EXPECT_EQ(mask({"password", "password-long"}, {"password-", "x"}), "[MASKED]-x");
  // Overlapping at different starts: the leftmost wins, the rest stays as it is.
  EXPECT_EQ(mask({"abcdefgh", "efghijkl"}, {"abcdefghijkl"}), "[MASKED]ijkl");
  // A value inside another.
  EXPECT_EQ(mask({"xx-secret-value-xx", "secret-value"}, {"a secret-value b xx-secret-value-xx"}),
            "a [MASKED] b [MASKED]");
}

TEST(MaskingSink, MasksEachStreamOnItsOwn) {
  struct Capture : Sink {
    std::string name_ = "capture";
    std::string out, err;
    int ends = 0;
    const std::string& name() const override { return name_; }
    Status write(Stream stream, std::string_view data) override {
      (stream == Stream::kStdout ? out : err) += data;
      return {};
    }
    Status end(Stream) override {
      ++ends;
      return {};
    }
  } capture;
  MaskingSink sink(capture, {"s3cr3t-value"});
  ASSERT_TRUE(sink.write(Stream::kStdout, "out s3cr3t").ok());
  ASSERT_TRUE(sink.write(Stream::kStderr, "err -value").ok());  // not the stdout half's rest
  ASSERT_TRUE(sink.write(Stream::kStdout, "-value\n").ok());
  ASSERT_TRUE(sink.end(Stream::kStdout).ok());
  ASSERT_TRUE(sink.end(Stream::kStderr).ok());
  EXPECT_EQ(capture.out, "out [MASKED]\n");
  EXPECT_EQ(capture.err, "err -value");
  EXPECT_EQ(capture.ends, 2);
}

}  // namespace
}  // namespace burrow::shim::io
