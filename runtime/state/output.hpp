// The texts `state` and `list` print, byte for byte as runc 1.1 prints them: containerd, podman
// and scripts parse them. Go's encoder escapes '<', '>', '&' (and U+2028/9) in strings and keeps
// struct field order, hence ordered_json and go_json_text.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "state/container_state.hpp"
#include "state/status.hpp"

namespace burrow::state {

struct ListEntry {
  ContainerState state;
  ContainerStatus status = ContainerStatus::stopped;
};

// runc state's object: ociVersion, id, pid (0 when stopped), status, bundle, rootfs, created,
// annotations (omitted when empty), owner ("" — runc state never fills it).
nlohmann::ordered_json state_json(const ContainerState& state, ContainerStatus status);
// What `runc state` writes: state_json indented by two spaces, no trailing newline.
std::string state_text(const ContainerState& state, ContainerStatus status);

// runc list -f json: an array of state_json-shaped objects with owner filled in; `null` (Go's
// nil slice) when there are no containers.
nlohmann::ordered_json list_json(const std::vector<ListEntry>& entries);
// What `runc list -f json` writes: compact list_json plus "\n".
std::string list_json_text(const std::vector<ListEntry>& entries);
// runc list's table (Go tabwriter: minwidth 12, padding 3, spaces), header always present.
std::string list_table(const std::vector<ListEntry>& entries);
// runc list -q: one id per line.
std::string list_quiet(const std::vector<ListEntry>& entries);

// json.dump as Go's encoding/json writes it (indent < 0: compact); invalid UTF-8 -> U+FFFD.
std::string go_json_text(const nlohmann::ordered_json& json, int indent);

}  // namespace burrow::state
