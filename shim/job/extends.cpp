#include "job/extends.hpp"

#include <algorithm>
#include <vector>

#include "job/yaml_scalar.hpp"

namespace burrow::shim::job {
namespace {

std::string chain_text(const std::vector<std::string>& chain) {
  std::string text;
  for (const auto& name : chain) text += (text.empty() ? "" : " -> ") + name;
  return text;
}

std::string scalar_text(const Node& node) {
  return node.plain ? type_plain_scalar(node.scalar).text : node.scalar;
}

class Extender {
 public:
  Extender(Node& root, const std::string& file_name) : root_(root), file_name_(file_name) {}

  Status extend_all() {
    std::vector<std::string> keys;
    for (const auto& [key, value] : root_.entries) {
      if (value.is_mapping() && value.find("extends")) keys.push_back(key);
    }
    for (const auto& key : keys) BURROW_TRY(extend(key, {}));
    return {};
  }

 private:
  // `ancestors`: the entries whose extends led here, outermost first.
  Result<Node> extend(const std::string& key, std::vector<std::string> ancestors) {
    const Node& value = *root_.find(key);
    const Node* extends = value.is_mapping() ? value.find("extends") : nullptr;
    if (!extends) return value;
    std::string path = path_key(key, "extends");
    std::vector<std::string> parents = BURROW_TRY(parent_names(*extends, path));
    if (parents.empty()) return value;
    for (const auto& parent : parents) {
      const Node* base = root_.find(parent);
      if (!base) {
        return config_error(file_name_, path, "'" + parent + "' is not defined in this file");
      }
      if (!base->is_mapping()) {
        return config_error(file_name_, path,
                            "'" + parent + "' is not a map (got " + describe(*base) + ")");
      }
    }
    std::vector<std::string> chain = ancestors;
    chain.push_back(key);
    if (ancestors.size() >= kMaxExtendsDepth) {
      return config_error(file_name_, path,
                          "nesting too deep (" + chain_text(chain) + " -> " + parents.front() +
                              "): GitLab allows " + std::to_string(kMaxExtendsDepth) +
                              " levels of extends");
    }
    if (std::find(ancestors.begin(), ancestors.end(), key) != ancestors.end()) {
      return config_error(file_name_, path, "circular dependency (" + chain_text(chain) + ")");
    }
    Node merged = Node::mapping();
    for (const auto& parent : parents) deep_merge(merged, BURROW_TRY(extend(parent, chain)));
    deep_merge(merged, *root_.find(key));
    *root_.find(key) = merged;
    return merged;
  }

  Result<std::vector<std::string>> parent_names(const Node& extends, const std::string& path) {
    std::vector<std::string> names;
    if (extends.is_null()) return names;
    if (extends.kind == Node::Kind::scalar) {
      names.push_back(scalar_text(extends));
      return names;
    }
    if (extends.is_sequence()) {
      for (size_t i = 0; i < extends.items.size(); ++i) {
        const Node& item = extends.items[i];
        if (item.kind != Node::Kind::scalar) {
          return config_error(file_name_, path_index(path, i),
                              "expected a job or template name, got " + describe(item));
        }
        names.push_back(scalar_text(item));
      }
      return names;
    }
    return config_error(file_name_, path,
                        "expected a name or a list of names, got " + describe(extends));
  }

  Node& root_;
  const std::string& file_name_;
};

}  // namespace

Status apply_extends(Node& root, const std::string& file_name) {
  return Extender(root, file_name).extend_all();
}

}  // namespace burrow::shim::job
