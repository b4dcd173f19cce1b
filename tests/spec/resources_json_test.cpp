#include "spec/resources_json.hpp"

#include <gtest/gtest.h>

#include "spec/parse.hpp"

namespace burrow::spec {
namespace {

using nlohmann::json;

TEST(ResourcesJson, RoundTripsThroughTheParser) {
  json given = json::parse(R"({
    "memory": {"limit": 67108864, "swap": 134217728, "disableOOMKiller": true},
    "cpu": {"shares": 512, "quota": 20000, "period": 100000, "cpus": "0-1"},
    "pids": {"limit": 42},
    "blockIO": {"weight": 300, "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1000}]},
    "hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}],
    "unified": {"memory.high": "100000000"}
  })");
  auto parsed = parse_resources(given);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(resources_to_json(*parsed), given);
  EXPECT_EQ(resources_to_json(Resources{}), json::object());
}

TEST(ResourcesJson, MergeKeepsWhatTheUpdateDoesNotName) {
  json saved = json::parse(R"({
    "devices": [{"allow": false, "access": "rwm"}],
    "memory": {"limit": 67108864, "swap": 134217728},
    "pids": {"limit": 42},
    "blockIO": {"throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1000},
                                          {"major": 8, "minor": 16, "rate": 2000}]}
  })");
  merge_resources_json(saved, json::parse(R"({
    "memory": {"limit": 134217728},
    "cpu": {},
    "pids": {"limit": 100},
    "blockIO": {"throttleReadBpsDevice": [{"major": 8, "minor": 16, "rate": 5000},
                                          {"major": 9, "minor": 0, "rate": 7}]}
  })"));
  EXPECT_EQ(saved, json::parse(R"({
    "devices": [{"allow": false, "access": "rwm"}],
    "memory": {"limit": 134217728, "swap": 134217728},
    "cpu": {},
    "pids": {"limit": 100},
    "blockIO": {"throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1000},
                                          {"major": 8, "minor": 16, "rate": 5000},
                                          {"major": 9, "minor": 0, "rate": 7}]}
  })"));
  json none;
  merge_resources_json(none, json::parse(R"({"pids": {"limit": 5}})"));
  EXPECT_EQ(none, json::parse(R"({"pids": {"limit": 5}})"));
}

}  // namespace
}  // namespace burrow::spec
