#include "base/log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

namespace burrow::logging {
namespace {

using std::chrono::system_clock;

// 2026-11-29T10:00:00Z
const system_clock::time_point kWhen = system_clock::from_time_t(1795946400);

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class TempLog : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/burrow-log-test-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/log.json";
  }
  void TearDown() override {
    spdlog::set_default_logger(nullptr);
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  std::string dir_;
  std::string path_;
};

TEST(Rfc3339, UtcSeconds) {
  EXPECT_EQ(rfc3339_utc(kWhen), "2026-11-29T10:00:00Z");
}

TEST(LogrusLevel, NamesAsLogrusWritesThem) {
  EXPECT_EQ(logrus_level("debug"), "debug");
  EXPECT_EQ(logrus_level("info"), "info");
  EXPECT_EQ(logrus_level("warning"), "warning");
  EXPECT_EQ(logrus_level("warn"), "warning");
  EXPECT_EQ(logrus_level("error"), "error");
  EXPECT_EQ(logrus_level("critical"), "fatal");
}

TEST(FormatLine, JsonExactlyLikeRunc) {
  EXPECT_EQ(format_line(true, "error", "container does not exist", kWhen),
            "{\"level\":\"error\",\"msg\":\"container does not exist\","
            "\"time\":\"2026-11-29T10:00:00Z\"}\n");
}

TEST(FormatLine, JsonEscapesLikeGo) {
  EXPECT_EQ(format_line(true, "error", "a \"b\"\\c\nd\te\x01<&>", kWhen),
            "{\"level\":\"error\",\"msg\":\"a \\\"b\\\"\\\\c\\nd\\te\\u0001\\u003c\\u0026\\u003e\","
            "\"time\":\"2026-11-29T10:00:00Z\"}\n");
}

TEST(FormatLine, JsonKeepsUtf8AndReplacesInvalidBytes) {
  const std::string line = format_line(true, "error", "caf\xc3\xa9 \xff!", kWhen);
  EXPECT_EQ(line.substr(0, 39), "{\"level\":\"error\",\"msg\":\"caf\xc3\xa9 \\ufffd!\",");
  EXPECT_EQ(nlohmann::json::parse(line)["msg"], "caf\xc3\xa9 \xef\xbf\xbd!");
}

TEST(FormatLine, TextLikeLogrus) {
  EXPECT_EQ(format_line(false, "error", "container does not exist", kWhen),
            "time=\"2026-11-29T10:00:00Z\" level=error msg=\"container does not exist\"\n");
  EXPECT_EQ(format_line(false, "info", "plain", kWhen),
            "time=\"2026-11-29T10:00:00Z\" level=info msg=plain\n");
  EXPECT_EQ(format_line(false, "warning", "say \"hi\"\n", kWhen),
            "time=\"2026-11-29T10:00:00Z\" level=warning msg=\"say \\\"hi\\\"\\n\"\n");
}

TEST_F(TempLog, JsonFileLinesParseWithExactlyLevelMsgTime) {
  ASSERT_TRUE(setup_logging({path_, true, false}).ok());
  spdlog::debug("hidden without --debug");
  spdlog::info("started");
  report_error({path_, true, false}, "mount \"/proc\":\nfailed");
  std::istringstream lines(read_all(path_));
  std::vector<nlohmann::json> entries;
  for (std::string line; std::getline(lines, line);) entries.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0]["level"], "info");
  EXPECT_EQ(entries[0]["msg"], "started");
  const auto& error = entries[1];
  EXPECT_EQ(error.size(), 3u);
  EXPECT_EQ(error["level"], "error");
  EXPECT_EQ(error["msg"], "mount \"/proc\":\nfailed");
  const std::string time = error["time"];
  EXPECT_TRUE(std::regex_match(time, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"))) << time;
}

TEST_F(TempLog, AppendsAndLogsDebugWithDebug) {
  { std::ofstream(path_) << "earlier\n"; }
  ASSERT_TRUE(setup_logging({path_, false, true}).ok());
  spdlog::debug("details");
  const std::string text = read_all(path_);
  EXPECT_EQ(text.substr(0, 8), "earlier\n");
  EXPECT_NE(text.find(" level=debug msg=details\n"), std::string::npos) << text;
}

TEST_F(TempLog, UnopenableFileIsAnError) {
  auto status = setup_logging({dir_ + "/missing/log.json", true, false});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "open " + dir_ + "/missing/log.json: No such file or directory");
}

}  // namespace
}  // namespace burrow::logging
