#include "state/output.hpp"

#include <algorithm>

namespace burrow::state {
namespace {

using nlohmann::ordered_json;

ordered_json entry_json(const ContainerState& st, ContainerStatus status,
                        const std::string& owner) {
  ordered_json j;
  j["ociVersion"] = st.oci_version;
  j["id"] = st.id;
  j["pid"] = status == ContainerStatus::stopped ? 0 : st.init_pid;
  j["status"] = status_name(status);
  j["bundle"] = st.bundle;
  j["rootfs"] = st.rootfs;
  j["created"] = st.created;
  if (!st.annotations.empty()) j["annotations"] = st.annotations;
  j["owner"] = owner;
  return j;
}

// Go's tabwriter counts runes, not bytes.
size_t rune_count(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// Cells of one table row; the last cell is not tab-terminated, so it is not aligned.
std::vector<std::string> row_cells(const ListEntry& e) {
  pid_t pid = e.status == ContainerStatus::stopped ? 0 : e.state.init_pid;
  return {e.state.id,     std::to_string(pid), status_name(e.status),
          e.state.bundle, e.state.created,     e.state.owner};
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

}  // namespace

ordered_json state_json(const ContainerState& state, ContainerStatus status) {
  return entry_json(state, status, "");
}

std::string state_text(const ContainerState& state, ContainerStatus status) {
  return go_json_text(state_json(state, status), 2);
}

ordered_json list_json(const std::vector<ListEntry>& entries) {
  if (entries.empty()) return nullptr;
  ordered_json array = ordered_json::array();
  for (const auto& e : entries) array.push_back(entry_json(e.state, e.status, e.state.owner));
  return array;
}

std::string list_json_text(const std::vector<ListEntry>& entries) {
  return go_json_text(list_json(entries), -1) + "\n";
}

std::string list_table(const std::vector<ListEntry>& entries) {
  constexpr size_t kMinWidth = 12, kPadding = 3;
  std::vector<std::vector<std::string>> rows = {
      {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"}};
  for (const auto& e : entries) rows.push_back(row_cells(e));
  const size_t aligned = rows[0].size() - 1;
  std::vector<size_t> widths(aligned, kMinWidth);
  for (const auto& row : rows) {
    for (size_t c = 0; c < aligned; ++c) {
      widths[c] = std::max(widths[c], rune_count(row[c]) + kPadding);
    }
  }
  std::string out;
  for (const auto& row : rows) {
    for (size_t c = 0; c < aligned; ++c) {
      out += row[c];
      out.append(widths[c] - rune_count(row[c]), ' ');
    }
    out += row[aligned] + "\n";
  }
  return out;
}

std::string list_quiet(const std::vector<ListEntry>& entries) {
  std::string out;
  for (const auto& e : entries) out += e.state.id + "\n";
  return out;
}

std::string go_json_text(const ordered_json& json, int indent) {
  std::string text = json.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
  // These bytes only occur inside strings in JSON text, so plain replacement is exact.
  text = replace_all(std::move(text), "&", "\\u0026");
  text = replace_all(std::move(text), "<", "\\u003c");
  text = replace_all(std::move(text), ">", "\\u003e");
  text = replace_all(std::move(text), "\xE2\x80\xA8", "\\u2028");
  return replace_all(std::move(text), "\xE2\x80\xA9", "\\u2029");
}

}  // namespace burrow::state
