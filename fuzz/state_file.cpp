// <root>/<id>/state.json as state::StateStore::load reads it (JSON syntax errors caught, then
// state::from_json), what `state` and `list` print from it, and how save writes it back
// (to_json, invalid UTF-8 replaced).
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "input_file.hpp"
#include "state/container_state.hpp"
#include "state/output.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  burrow::fuzz::quiet_logging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace state = burrow::state;
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(data, data + size);
  } catch (const nlohmann::json::exception&) {
    return 0;
  }
  auto loaded = state::from_json(json, "state.json");
  if (!loaded) return 0;
  std::string out = state::state_text(*loaded, state::ContainerStatus::running);
  std::vector<state::ListEntry> entries = {{*loaded, state::ContainerStatus::created}};
  out += state::list_json_text(entries) + state::list_table(entries) + state::list_quiet(entries);
  out += state::to_json(*loaded).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return out.empty() ? 1 : 0;
}
