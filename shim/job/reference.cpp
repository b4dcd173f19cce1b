#include "job/reference.hpp"

#include <algorithm>
#include <vector>

#include "job/yaml_scalar.hpp"

namespace burrow::shim::job {
namespace {

// Ruby's inspect of a list of strings, which is how GitLab prints a reference.
std::string inspect(const std::vector<std::string>& names) {
  std::string text = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) text += ", ";
    text += '"';
    for (char c : names[i]) {
      if (c == '"' || c == '\\') text += '\\';
      text += c;
    }
    text += '"';
  }
  return text + "]";
}

bool is_false(const Node& node) {
  if (node.kind != Node::Kind::scalar || !node.plain) return false;
  TypedScalar typed = type_plain_scalar(node.scalar);
  return typed.type == ScalarType::boolean && !typed.truth;
}

class Resolver {
 public:
  Resolver(const Node& original, const std::string& file_name)
      : original_(original), file_name_(file_name) {}

  Status resolve_tree(Node& node, const std::string& path) {
    switch (node.kind) {
      case Node::Kind::reference:
        node = BURROW_TRY(resolve(node, path));
        return {};
      case Node::Kind::sequence:
        for (size_t i = 0; i < node.items.size(); ++i) {
          BURROW_TRY(resolve_tree(node.items[i], path_index(path, i)));
        }
        return {};
      case Node::Kind::mapping:
        for (auto& [key, value] : node.entries)
          BURROW_TRY(resolve_tree(value, path_key(path, key)));
        return {};
      default:
        return {};
    }
  }

 private:
  Result<Node> resolve(const Node& reference, const std::string& path) {
    std::vector<std::string> names;
    bool valid = !reference.items.empty();
    for (const auto& item : reference.items) {
      bool string = item.kind == Node::Kind::scalar &&
                    (!item.plain || type_plain_scalar(item.scalar).type == ScalarType::string);
      valid = valid && string;
      names.push_back(item.kind == Node::Kind::scalar ? item.scalar : describe(item));
    }
    std::string text = "!reference " + inspect(names);
    if (!valid) {
      return config_error(file_name_, path,
                          text + " is not valid: expected a list of names like [.job, script]");
    }
    if (std::find(resolving_.begin(), resolving_.end(), text) != resolving_.end()) {
      return config_error(file_name_, path, text + " is part of a circular chain");
    }
    if (resolving_.size() >= kMaxReferenceDepth) {
      return config_error(file_name_, path,
                          text + " nests more than " + std::to_string(kMaxReferenceDepth) +
                              " levels of !reference");
    }
    const Node* target = &original_;
    std::string target_path;
    for (const auto& name : names) {
      target = target->is_mapping() ? target->find(name) : nullptr;
      if (!target) break;
      target_path = path_key(target_path, name);
    }
    if (!target || target->is_null() || is_false(*target)) {
      return config_error(file_name_, path, text + " could not be found");
    }
    Node copy = *target;
    resolving_.push_back(text);
    Status resolved = resolve_tree(copy, target_path);
    resolving_.pop_back();
    if (!resolved) return std::move(resolved).error();
    return copy;
  }

  const Node& original_;
  const std::string& file_name_;
  std::vector<std::string> resolving_;  // references being resolved, outermost first
};

}  // namespace

Status resolve_references(Node& root, const std::string& file_name) {
  const Node original = root;
  return Resolver(original, file_name).resolve_tree(root, "");
}

}  // namespace burrow::shim::job
