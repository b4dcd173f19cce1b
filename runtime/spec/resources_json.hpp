// linux.resources back to JSON, and merged into a saved config: `burrow update` keeps the
// container's config.json snapshot in step with the limits it wrote, so a later reader (exec,
// a later update, a client reading the state dir) sees the limits in force.
#pragma once

#include <nlohmann/json.hpp>

#include "spec/model.hpp"

namespace burrow::spec {

// The fields that are set, under their config.json names (unset optionals and empty lists are
// left out).
nlohmann::json resources_to_json(const Resources& resources);

// Merges `update` (a linux.resources object) into `saved` (one, or null): objects member by
// member; lists of per-device, per-page-size or per-name entries entry by entry (an entry for the
// same device replaces the saved one, others are kept); any other value replaces the saved one.
void merge_resources_json(nlohmann::json& saved, const nlohmann::json& update);

}  // namespace burrow::spec
