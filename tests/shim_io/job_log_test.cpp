#include "io/job_log.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <regex>

#include "base/file.hpp"
#include "helpers.hpp"
#include "io/time_format.hpp"

namespace burrow::shim::io {
namespace {

using testing::read_log;
using testing::stream_bytes;
using testing::TempDir;

TEST(TimeFormat, Rfc3339UtcWithNineFractionalDigits) {
  EXPECT_EQ(rfc3339_nano({0, 42}), "1970-01-01T00:00:00.000000042Z");
  EXPECT_EQ(rfc3339_nano({1767607200, 123456789}), "2026-01-05T10:00:00.123456789Z");
}

TEST(JobLogRecord, KeysInReadingOrder) {
  EXPECT_EQ(JobLog::format_record({1767607200, 5}, Stream::kStderr, "oops\n"),
            R"({"time":"2026-01-05T10:00:00.000000005Z","stream":"stderr","text":"oops\n"})"
            "\n");
}

TEST(JobLogRecord, InvalidUtf8KeepsReadableTextAndExactBytes) {
  EXPECT_EQ(JobLog::format_record({0, 0}, Stream::kStdout, "a\xff\n"),
            R"({"time":"1970-01-01T00:00:00.000000000Z","stream":"stdout","text":"a)"
            "\xef\xbf\xbd"
            R"(\n","bytes":"Yf8K"})"
            "\n");
}

class JobLogTest : public ::testing::Test {
 protected:
  JobLog open(JobLog::Options options = {}) {
    auto log = JobLog::open(path_, options);
    EXPECT_TRUE(log.ok()) << (log.ok() ? "" : log.error().message);
    return std::move(log).value();
  }
  TempDir dir_;
  std::string path_ = dir_ / "job.log";
};

TEST_F(JobLogTest, OneRecordPerLine) {
  auto log = open();
  ASSERT_TRUE(log.write(Stream::kStdout, "one\ntwo\nthree\n"));
  const auto records = read_log(path_);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].text, "one\n");
  EXPECT_EQ(records[1].text, "two\n");
  EXPECT_EQ(records[2].text, "three\n");
  for (const auto& r : records) EXPECT_EQ(r.stream, "stdout");
}

TEST_F(JobLogTest, PartialLinesAreHeldUntilTheirNewline) {
  auto log = open();
  ASSERT_TRUE(log.write(Stream::kStdout, "hel"));
  EXPECT_TRUE(read_log(path_).empty());
  ASSERT_TRUE(log.write(Stream::kStdout, "lo\nwor"));
  ASSERT_TRUE(log.write(Stream::kStdout, "ld\n"));
  const auto records = read_log(path_);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].text, "hello\n");
  EXPECT_EQ(records[1].text, "world\n");
}

TEST_F(JobLogTest, FinalLineWithoutNewlineIsWrittenAtTheStreamsEnd) {
  auto log = open();
  ASSERT_TRUE(log.write(Stream::kStdout, "line\ntail"));
  ASSERT_EQ(read_log(path_).size(), 1u);
  ASSERT_TRUE(log.end(Stream::kStdout));
  const auto records = read_log(path_);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].text, "tail");
  EXPECT_EQ(stream_bytes(records, "stdout"), "line\ntail");
  ASSERT_TRUE(log.end(Stream::kStdout));  // nothing held: no empty record
  EXPECT_EQ(read_log(path_).size(), 2u);
}

TEST_F(JobLogTest, StreamsHoldTheirPartialLinesApart) {
  auto log = open();
  ASSERT_TRUE(log.write(Stream::kStdout, "out-"));
  ASSERT_TRUE(log.write(Stream::kStderr, "err-"));
  ASSERT_TRUE(log.write(Stream::kStderr, "1\n"));
  ASSERT_TRUE(log.write(Stream::kStdout, "1\n"));
  const auto records = read_log(path_);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].stream, "stderr");
  EXPECT_EQ(records[0].text, "err-1\n");
  EXPECT_EQ(records[1].stream, "stdout");
  EXPECT_EQ(records[1].text, "out-1\n");
}

TEST_F(JobLogTest, LongLineIsFlushedInPartsAtTheCap) {
  auto log = open({.max_record = 8});
  ASSERT_TRUE(log.write(Stream::kStdout, std::string(20, 'x')));
  auto records = read_log(path_);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].text, std::string(8, 'x'));
  EXPECT_EQ(records[1].text, std::string(8, 'x'));
  ASSERT_TRUE(log.write(Stream::kStdout, "yy\n"));
  records = read_log(path_);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].text, "xxxxyy\n");
}

TEST_F(JobLogTest, CompleteLinesLongerThanTheCapAreSplitToo) {
  auto log = open({.max_record = 4});
  ASSERT_TRUE(log.write(Stream::kStdout, "abcdefghij\nk\n"));
  const auto records = read_log(path_);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].text, "abcd");
  EXPECT_EQ(records[1].text, "efgh");
  EXPECT_EQ(records[2].text, "ij\n");
  EXPECT_EQ(records[3].text, "k\n");
}

TEST_F(JobLogTest, CapDoesNotSplitAMultiByteCharacter) {
  auto log = open({.max_record = 5});
  ASSERT_TRUE(log.write(Stream::kStdout, "abc\xe2\x82\xac"));  // abc€: 6 bytes
  ASSERT_TRUE(log.write(Stream::kStdout, "d\n"));
  const auto records = read_log(path_);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].text, "abc");
  EXPECT_EQ(records[1].text,
            "\xe2\x82\xac"
            "d\n");
  for (const auto& r : records) EXPECT_FALSE(r.has_bytes);
}

TEST_F(JobLogTest, InvalidUtf8IsKeptExactly) {
  auto log = open();
  using namespace std::string_literals;
  const std::string data = "bin \xff\xfe\x00\x01 \xc3\x28\n"s;
  std::string with_nul = "nul:";
  with_nul += '\0';
  with_nul += "\n";
  ASSERT_TRUE(log.write(Stream::kStderr, data));
  ASSERT_TRUE(log.write(Stream::kStderr, with_nul));
  ASSERT_TRUE(log.write(Stream::kStderr, "ok\n"));
  const auto records = read_log(path_);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_TRUE(records[0].has_bytes);
  EXPECT_NE(records[0].text.find("\xef\xbf\xbd"), std::string::npos);  // U+FFFD
  EXPECT_FALSE(records[1].has_bytes);  // NUL is valid UTF-8: JSON escapes it as \u0000
  EXPECT_FALSE(records[2].has_bytes);
  EXPECT_EQ(stream_bytes(records, "stderr"), data + with_nul + "ok\n");
}

TEST_F(JobLogTest, RecordTimesAreRfc3339NanoUtcAndOrdered) {
  auto log = open();
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(log.write(Stream::kStdout, "x\n"));
  const std::regex format(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z)");
  const auto records = read_log(path_);
  ASSERT_EQ(records.size(), 50u);
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_TRUE(std::regex_match(records[i].time, format)) << records[i].time;
    if (i > 0) {
      EXPECT_LE(records[i - 1].time, records[i].time);
    }
  }
  const auto now = rfc3339_nano(realtime_now());
  EXPECT_EQ(records[0].time.substr(0, 10), now.substr(0, 10));  // UTC today, not 1970
}

TEST_F(JobLogTest, NoteIsASystemRecord) {
  auto log = open();
  ASSERT_TRUE(log.note("image pulled"));
  ASSERT_TRUE(log.note("second\n"));
  const auto records = read_log(path_);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].stream, "system");
  EXPECT_EQ(records[0].text, "image pulled\n");
  EXPECT_EQ(records[1].text, "second\n");
}

TEST_F(JobLogTest, AppendsToAnExistingFileAndIsOpenedAppendCloexec) {
  ASSERT_TRUE(file::write_atomic(path_, "{\"earlier\":true}\n"));
  auto log = open();
  ASSERT_TRUE(log.write(Stream::kStdout, "later\n"));
  const auto text = file::read(path_);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->rfind("{\"earlier\":true}\n", 0), 0u);
  EXPECT_EQ(read_log(path_).size(), 2u);
}

TEST_F(JobLogTest, EndAllWritesEveryHeldLine) {
  auto log = open();
  ASSERT_TRUE(log.write(Stream::kStdout, "a"));
  ASSERT_TRUE(log.write(Stream::kStderr, "b"));
  ASSERT_TRUE(log.end_all());
  const auto records = read_log(path_);
  ASSERT_EQ(records.size(), 2u);
}

TEST(JobLogOpen, FailsWithThePath) {
  auto log = JobLog::open("/nonexistent-dir/job.log");
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.error().message.find("/nonexistent-dir/job.log"), std::string::npos);
}

}  // namespace
}  // namespace burrow::shim::io
