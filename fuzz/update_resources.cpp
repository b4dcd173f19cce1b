// `update --resources FILE`: the JSON (parsed as container/update.cpp does), spec::parse_resources,
// and what update then saves: resources_to_json merged into the config.json snapshot's
// linux.resources (merge_resources_json), dumped.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "input_file.hpp"
#include "spec/parse.hpp"
#include "spec/resources_json.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  burrow::fuzz::quiet_logging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto json = nlohmann::json::parse(data, data + size, nullptr, false);
  if (json.is_discarded()) return 0;
  auto resources = burrow::spec::parse_resources(json);
  if (!resources) return 0;
  nlohmann::json saved = nlohmann::json::parse(R"({"memory": {"limit": 1048576}, "pids": {}})");
  burrow::spec::merge_resources_json(saved, burrow::spec::resources_to_json(*resources));
  std::string text = saved.dump(2);
  (void)text;
  return 0;
}
