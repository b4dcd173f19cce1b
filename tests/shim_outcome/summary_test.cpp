#include "outcome/summary.hpp"

#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "base/file.hpp"

namespace burrow::shim::outcome {
namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/burrow-shim-outcome-test.XXXXXX";
    const char* made = ::mkdtemp(tmpl);
    EXPECT_NE(made, nullptr);
    path_ = made ? made : "";
  }
  ~TempDir() { (void)file::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return names;
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(d);
  return names;
}

Summary failed_script() {
  Summary s;
  s.job = "test";
  s.exit_code = 1;
  s.phases[static_cast<size_t>(Phase::kImagePrepare)] = 1.5;
  s.phases[static_cast<size_t>(Phase::kScript)] = 12.25;
  s.started_at = std::chrono::system_clock::time_point(std::chrono::seconds(1767607200));
  s.finished_at = s.started_at + std::chrono::nanoseconds(14'000'000'007);
  return s;
}

TEST(SummaryJson, AllFieldsInOrder) {
  const auto j = nlohmann::ordered_json::parse(summary_json(failed_script()));
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"job", "exit_code", "signal", "timed_out", "cancelled",
                                      "oom_killed", "infra_failure", "infra_error", "infra_kind",
                                      "shim_exit_code", "phases", "started_at", "finished_at"}));
  EXPECT_EQ(j["job"], "test");
  EXPECT_EQ(j["exit_code"], 1);
  EXPECT_TRUE(j["signal"].is_null());
  EXPECT_EQ(j["timed_out"], false);
  EXPECT_EQ(j["infra_failure"], false);
  EXPECT_TRUE(j["infra_error"].is_null());
  EXPECT_EQ(j["shim_exit_code"], 1);
  EXPECT_EQ(j["phases"], nlohmann::ordered_json::parse(
                             R"({"image_prepare":1.5,"services_ready":null,)"
                             R"("script":12.25,"after_script":null,"teardown":null})"));
  EXPECT_EQ(j["started_at"], "2026-01-05T10:00:00.000000000Z");
  EXPECT_EQ(j["finished_at"], "2026-01-05T10:00:14.000000007Z");
}

TEST(SummaryJson, SignalByName) {
  Summary s = failed_script();
  s.exit_code.reset();
  s.signal = SIGKILL;
  s.oom_killed = true;
  const auto j = nlohmann::json::parse(summary_json(s));
  EXPECT_EQ(j["signal"], "SIGKILL");
  EXPECT_EQ(j["oom_killed"], true);
  EXPECT_TRUE(j["exit_code"].is_null());
  EXPECT_EQ(j["shim_exit_code"], 137);
}

TEST(SummaryJson, InfraFailureCarriesItsMessageAndKind) {
  Summary s = failed_script();
  s.exit_code.reset();
  s.infra = InfraFailure{ExitCode::kImageFailure, "pull alpine:nope: manifest unknown \xff"};
  const auto j = nlohmann::json::parse(summary_json(s));
  EXPECT_EQ(j["infra_failure"], true);
  EXPECT_EQ(j["infra_kind"], "image");
  EXPECT_EQ(j["infra_error"].get<std::string>().rfind("pull alpine:nope: manifest unknown", 0), 0u);
  EXPECT_EQ(j["shim_exit_code"], 241);
}

TEST(WriteSummary, AtomicAndParsesBack) {
  TempDir dir;
  const std::string path = dir.path() + "/summary.json";
  ASSERT_TRUE(file::write_atomic(path, "old"));
  ASSERT_TRUE(write_summary(path, failed_script()));
  auto text = file::read(path);
  ASSERT_TRUE(text.ok());
  const auto j = nlohmann::json::parse(*text);
  EXPECT_EQ(j["exit_code"], 1);
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"summary.json"});  // no temp file left
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST(WriteSummary, FailureNamesThePathAndLeavesNothing) {
  TempDir dir;
  auto st = write_summary(dir.path() + "/missing/summary.json", failed_script());
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("write summary"), std::string::npos);
  EXPECT_NE(st.error().message.find("missing/summary.json"), std::string::npos);
  EXPECT_TRUE(entries(dir.path()).empty());
}

TEST(ExitCodeFor, FirstMatchWins) {
  Summary s;
  EXPECT_EQ(exit_code_for(s), 240);  // nothing known
  s.exit_code = 0;
  EXPECT_EQ(exit_code_for(s), 0);
  s.exit_code = 7;
  EXPECT_EQ(exit_code_for(s), 7);
  s.signal = SIGTERM;
  EXPECT_EQ(exit_code_for(s), 143);
  s.cancelled = true;
  EXPECT_EQ(exit_code_for(s), 244);
  s.timed_out = true;
  EXPECT_EQ(exit_code_for(s), 243);
  s.infra = InfraFailure{ExitCode::kServiceFailure, "redis exited"};
  EXPECT_EQ(exit_code_for(s), 242);
}

TEST(Classify, ScriptsOwnCodesInTheReservedRangeStayBuildFailures) {
  Summary s;
  s.exit_code = 241;
  EXPECT_EQ(classify(s), FailureClass::kBuild);
  s.exit_code = 0;
  EXPECT_EQ(classify(s), FailureClass::kNone);
  s.infra = InfraFailure{};
  EXPECT_EQ(classify(s), FailureClass::kSystem);
}

TEST(ExitCodes, TableIsConsistent) {
  for (const auto& info : kExitCodes) {
    const int code = static_cast<int>(info.code);
    EXPECT_EQ(find_exit_code(code), &info);
    if (code >= 240) {
      EXPECT_GT(code, 128 + 64) << "collides with 128+signal";
      EXPECT_LT(code, 255);
    }
  }
  EXPECT_EQ(classify(0, true), FailureClass::kNone);
  EXPECT_EQ(classify(1, true), FailureClass::kBuild);
  EXPECT_EQ(classify(2, false), FailureClass::kSystem);  // usage: no summary
  EXPECT_EQ(classify(2, true), FailureClass::kBuild);    // a script's exit 2
  EXPECT_EQ(classify(241, true), FailureClass::kSystem);
  EXPECT_EQ(classify(243, true), FailureClass::kBuild);
  EXPECT_EQ(exit_code_name(ExitCode::kCancelled), "cancelled");
}

TEST(PhaseClock, TimesPhasesWithTheMonotonicClock) {
  PhaseClock clock;
  EXPECT_FALSE(clock.seconds(Phase::kScript));
  {
    auto scope = clock.measure(Phase::kScript);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto script = clock.seconds(Phase::kScript);
  ASSERT_TRUE(script);
  EXPECT_GE(*script, 0.02);
  EXPECT_LT(*script, 5.0);
  EXPECT_EQ(clock.seconds(Phase::kScript), script);  // stopped: no longer growing
  const auto times = clock.times();
  EXPECT_FALSE(times[static_cast<size_t>(Phase::kImagePrepare)]);
  EXPECT_EQ(times[static_cast<size_t>(Phase::kScript)], script);
}

TEST(PhaseClock, RunningPhaseReportsSoFarAndRepeatedRunsAdd) {
  PhaseClock clock;
  clock.start(Phase::kTeardown);
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto so_far = clock.seconds(Phase::kTeardown);
  ASSERT_TRUE(so_far);
  EXPECT_GE(*so_far, 0.01);
  clock.stop(Phase::kTeardown);
  const double first = *clock.seconds(Phase::kTeardown);
  clock.start(Phase::kTeardown);
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  clock.stop(Phase::kTeardown);
  EXPECT_GE(*clock.seconds(Phase::kTeardown), first + 0.01);
  clock.stop(Phase::kAfterScript);  // never started: stays empty
  EXPECT_FALSE(clock.seconds(Phase::kAfterScript));
}

}  // namespace
}  // namespace burrow::shim::outcome
