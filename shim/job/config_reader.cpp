#include "job/config_reader.hpp"

#include "job/yaml_scalar.hpp"

namespace burrow::shim::job {

Result<std::string> ConfigReader::string(const Node& node, const std::string& path) const {
  if (node.kind == Node::Kind::scalar) {
    if (!node.plain) return node.scalar;
    TypedScalar typed = type_plain_scalar(node.scalar);
    if (typed.type == ScalarType::string || typed.type == ScalarType::symbol) return typed.text;
  }
  return error(path, "expected a string, got " + describe(node));
}

Result<std::vector<std::string>> ConfigReader::string_list(const Node& node,
                                                           const std::string& path) const {
  if (!node.is_sequence()) return error(path, "expected a list of strings, got " + describe(node));
  std::vector<std::string> out;
  for (size_t i = 0; i < node.items.size(); ++i) {
    out.push_back(BURROW_TRY(string(node.items[i], path_index(path, i))));
  }
  return out;
}

Result<bool> ConfigReader::boolean(const Node& node, const std::string& path) const {
  if (node.kind == Node::Kind::scalar && node.plain) {
    TypedScalar typed = type_plain_scalar(node.scalar);
    if (typed.type == ScalarType::boolean) return typed.truth;
  }
  return error(path, "expected true or false, got " + describe(node));
}

Result<std::string> ConfigReader::scalar_value(const Node& node, const std::string& path) const {
  if (node.kind != Node::Kind::scalar) {
    return error(path, "expected a string, number or boolean, got " + describe(node));
  }
  return node.plain ? type_plain_scalar(node.scalar).text : node.scalar;
}

Result<std::vector<std::string>> ConfigReader::commands(const Node& node,
                                                        const std::string& path) const {
  std::vector<std::string> out;
  if (node.kind == Node::Kind::scalar) {
    out.push_back(BURROW_TRY(string(node, path)));
    return out;
  }
  if (!node.is_sequence()) {
    return error(path, "expected a string or a list of strings, got " + describe(node));
  }
  BURROW_TRY(flatten(node, path, 0, out));
  return out;
}

Status ConfigReader::flatten(const Node& node, const std::string& path, int depth,
                             std::vector<std::string>& out) const {
  if (!node.is_sequence()) {
    if (node.kind != Node::Kind::scalar) {
      return error(path, "expected a command (a string), got " + describe(node));
    }
    out.push_back(BURROW_TRY(string(node, path)));
    return {};
  }
  if (depth == kMaxScriptNesting) {
    return error(path,
                 "lists nested more than " + std::to_string(kMaxScriptNesting) + " levels deep");
  }
  for (size_t i = 0; i < node.items.size(); ++i) {
    BURROW_TRY(flatten(node.items[i], path_index(path, i), depth + 1, out));
  }
  return {};
}

Result<const Node*> ConfigReader::mapping(const Node& node, const std::string& path) const {
  if (!node.is_mapping()) return error(path, "expected a map, got " + describe(node));
  return &node;
}

Status ConfigReader::known_keys(const Node& map, const std::string& path,
                                const std::set<std::string>& allowed) const {
  std::string unknown;
  for (const auto& [key, value] : map.entries) {
    if (!allowed.count(key)) unknown += (unknown.empty() ? "" : ", ") + key;
  }
  if (unknown.empty()) return {};
  return error(path, "unknown keys: " + unknown);
}

}  // namespace burrow::shim::job
