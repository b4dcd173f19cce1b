#include "job/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <sstream>

#include "job/yaml_scalar.hpp"

namespace burrow::shim::job {
namespace {

std::string position(const std::string& file_name, const YAML::Mark& mark) {
  return file_name + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

// Aliases are copied in place, so a small file can name an exponential tree ("billion laughs":
// ten aliases of ten aliases of ...). Past this many values the file is refused, before the copy
// eats the memory (found by fuzz/gitlab_ci).
constexpr size_t kMaxValues = 100000;
// yaml-cpp lets an alias sit inside its own anchor's value (`&a [*a]`): an endless tree, whose
// copy overflowed the stack (fuzz/gitlab_ci). Deeper than this, the file is refused; GitLab
// refuses YAML nested deeper than 100 too.
constexpr size_t kMaxDepth = 100;

struct Converter {
  const std::string& file_name;
  size_t values = 0;  // converted so far, alias copies included
  size_t depth = 0;   // of the value being converted

  Result<Node> convert(const YAML::Node& in) {
    if (++values > kMaxValues) {
      return Error::msg(file_name + ": the parsed YAML is too big: more than " +
                        std::to_string(kMaxValues) + " values once its aliases are expanded");
    }
    if (depth == kMaxDepth) {
      return Error::msg(position(file_name, in.Mark()) + ": the parsed YAML is nested more than " +
                        std::to_string(kMaxDepth) +
                        " deep (is an alias inside its own anchor's value?)");
    }
    ++depth;
    Result<Node> out = convert_value(in);
    --depth;
    return out;
  }

  Result<Node> convert_value(const YAML::Node& in) {
    Node out;
    const std::string& tag = in.Tag();
    switch (in.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return out;
      case YAML::NodeType::Scalar:
        return convert_scalar(in);
      case YAML::NodeType::Sequence:
        out.kind = tag == "!reference" ? Node::Kind::reference : Node::Kind::sequence;
        for (const auto& item : in) out.items.push_back(BURROW_TRY(convert(item)));
        return out;
      case YAML::NodeType::Map:
        return convert_mapping(in);
    }
    return out;
  }

  Result<Node> convert_scalar(const YAML::Node& in) {
    Node out;
    const std::string& tag = in.Tag();
    if (tag == "!reference") {  // a !reference on a scalar: invalid, reported when resolved
      out.kind = Node::Kind::reference;
      out.items.push_back(Node::string(in.Scalar()));
      return out;
    }
    out.kind = Node::Kind::scalar;
    out.scalar = in.Scalar();
    out.plain = tag == "?";
    if (!out.plain) return out;
    TypedScalar typed = type_plain_scalar(out.scalar);
    if (typed.type == ScalarType::null) return Node{};
    if (typed.type == ScalarType::date || typed.type == ScalarType::time) {
      // GitLab's loader permits no Date/Time classes: the whole file fails to load.
      return Error::msg(position(file_name, in.Mark()) + ": " + out.scalar + " is a " +
                        (typed.type == ScalarType::date ? "date" : "time") +
                        ", which GitLab refuses to load; quote it to make it a string");
    }
    return out;
  }

  Result<Node> convert_mapping(const YAML::Node& in) {
    Node out = Node::mapping();
    for (const auto& pair : in) {
      const YAML::Node& key = pair.first;
      if (!key.IsScalar()) {
        return Error::msg(position(file_name, key.Mark()) + ": map keys must be scalars");
      }
      Node value = BURROW_TRY(convert(pair.second));
      bool merge_key = key.Scalar() == "<<" && key.Tag() != "tag:yaml.org,2002:str";
      if (merge_key && BURROW_TRY(merge_into(out, value))) continue;
      out.set(key.Scalar(), std::move(value));
    }
    return out;
  }

  // Psych's `<<`: a map merges into the keys so far (overwriting them, as Psych does, in file
  // order); a list of maps merges as one map where earlier ones win. Anything else stays a
  // plain "<<" key. Like Psych, a quoted "<<" merges too; only `!!str <<` is a plain key.
  // Returns whether it merged.
  Result<bool> merge_into(Node& target, const Node& value) {
    if (value.is_mapping()) {
      for (const auto& [k, v] : value.entries) target.set(k, v);
      return true;
    }
    if (!value.is_sequence()) return false;
    for (const auto& item : value.items) {
      if (!item.is_mapping()) return false;
    }
    Node combined = Node::mapping();
    for (auto it = value.items.rbegin(); it != value.items.rend(); ++it) {
      for (const auto& [k, v] : it->entries) combined.set(k, v);
    }
    for (const auto& [k, v] : combined.entries) target.set(k, v);
    return true;
  }
};

// Parses without building anything: the number of documents in `text`, counting up to `limit`.
// Throws YAML::Exception on a syntax error, as LoadAll.
class DocumentCounter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

size_t count_documents(const std::string& text, size_t limit) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentCounter counter;
  size_t count = 0;
  while (count < limit && parser.HandleNextDocument(counter)) ++count;
  return count;
}

}  // namespace

Node Node::string(std::string text) {
  Node node;
  node.kind = Kind::scalar;
  node.scalar = std::move(text);
  return node;
}

Node Node::mapping() {
  Node node;
  node.kind = Kind::mapping;
  return node;
}

const Node* Node::find(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

Node* Node::find(std::string_view key) {
  for (auto& [k, v] : entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

void Node::set(const std::string& key, Node value) {
  if (Node* existing = find(key)) {
    *existing = std::move(value);
  } else {
    entries.push_back(Entry{key, std::move(value)});
  }
}

void Node::erase(std::string_view key) {
  std::erase_if(entries, [&](const auto& entry) { return entry.key == key; });
}

Result<Node> load_yaml(const std::string& text, const std::string& file_name) {
  // A file may start with a header document (`spec:` for inputs, then `---`); the jobs are in
  // the last document. Counted before yaml-cpp builds them: its LoadAll never returns on some
  // malformed text ("\n,\nv.o" reads as an endless run of empty documents; fuzz/gitlab_ci).
  std::vector<YAML::Node> documents;
  try {
    if (count_documents(text, 3) > 2) {
      return Error::msg(file_name + ": expected one YAML document (or a spec: header and one)");
    }
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    return Error::msg(position(file_name, e.mark) + ": " + e.msg);
  }
  if (documents.empty()) return Node{};
  Converter converter{file_name};
  if (documents.size() == 2) {
    Node header = BURROW_TRY(converter.convert(documents[0]));
    if (!header.is_mapping() || !header.find("spec")) {
      return Error::msg(file_name + ": the first of two YAML documents must be a spec: header");
    }
  }
  return converter.convert(documents.back());
}

std::string describe(const Node& node) {
  switch (node.kind) {
    case Node::Kind::null:
      return "null";
    case Node::Kind::sequence:
      return "a sequence";
    case Node::Kind::mapping:
      return "a map";
    case Node::Kind::reference:
      return "a !reference";
    case Node::Kind::scalar:
      break;
  }
  if (!node.plain) return "a string";
  switch (type_plain_scalar(node.scalar).type) {
    case ScalarType::boolean:
      return "a boolean (" + node.scalar + ")";
    case ScalarType::integer:
      return "an integer (" + node.scalar + ")";
    case ScalarType::floating:
      return "a float (" + node.scalar + ")";
    default:
      return "a string";
  }
}

void deep_merge(Node& base, const Node& overlay) {
  if (!base.is_mapping() || !overlay.is_mapping()) {
    base = overlay;
    return;
  }
  for (const auto& [key, value] : overlay.entries) {
    Node* existing = base.find(key);
    if (existing && existing->is_mapping() && value.is_mapping()) {
      deep_merge(*existing, value);
    } else {
      base.set(key, value);
    }
  }
}

Error config_error(const std::string& file_name, const std::string& path,
                   const std::string& reason) {
  if (path.empty()) return Error::msg(file_name + ": " + reason);
  return Error::msg(file_name + ": " + path + ": " + reason);
}

std::string path_key(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string path_index(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

}  // namespace burrow::shim::job
