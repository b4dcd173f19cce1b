// Unknown members are ignored, but not silently: each one is logged at debug level with its path.
#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "spec/parse.hpp"

namespace burrow::spec {
namespace {

class CapturedLog {
 public:
  CapturedLog()
      : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(100)),
        previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>("capture", sink_);
    logger->set_level(spdlog::level::debug);
    logger->set_pattern("%v");
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::vector<std::string> lines() const { return sink_->last_formatted(); }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST(UnknownFields, AreLoggedWithTheirPath) {
  CapturedLog log;
  auto spec = parse_config(nlohmann::json::parse(R"({
    "ociVersion": "1.2.0", "x-top": 1,
    "process": {"args": ["sh"], "cwd": "/", "user": {"uid": 0, "x-user": true}},
    "linux": {"namespaces": [{"type": "pid", "x-ns": 1}],
              "resources": {"memory": {"x-mem": 1}}}
  })"));
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  std::vector<std::string> lines = log.lines();
  for (auto& line : lines) line.erase(line.find_last_not_of("\r\n") + 1);
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "config.json: ignoring unknown field linux.namespaces[0].x-ns",
                       "config.json: ignoring unknown field linux.resources.memory.x-mem",
                       "config.json: ignoring unknown field process.user.x-user",
                       "config.json: ignoring unknown field x-top",
                   }));
}

}  // namespace
}  // namespace burrow::spec
