// The YAML document as the reader works on it: an ordered tree of plain values, loaded the way
// GitLab's Ruby loader (Psych) sees the file — aliases copied in place, `<<` merge keys applied,
// `!reference` kept as its own kind of node until job/reference resolves it. yaml-cpp 0.7 does
// not implement merge keys and its nodes share structure through aliases, so extends and
// !reference, which rewrite parts of the tree, work on this copy instead.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.hpp"

namespace burrow::shim::job {

struct Node {
  enum class Kind { null, scalar, sequence, mapping, reference };

  Kind kind = Kind::null;
  std::string scalar;  // Kind::scalar: the text as written
  // Kind::scalar: unquoted and untagged, so its type comes from its text (true, 12, 1.5...) as
  // Psych types it; quoted scalars are always strings.
  bool plain = false;
  // A mapping's key and value. A struct, not std::pair: a pair of the still incomplete Node is
  // undefined (clang with libstdc++ refuses it; the fuzz build is clang).
  struct Entry;
  std::vector<Node> items;     // sequence items; reference path
  std::vector<Entry> entries;  // mapping, in file order

  static Node string(std::string text);
  static Node mapping();

  bool is_null() const { return kind == Kind::null; }
  bool is_mapping() const { return kind == Kind::mapping; }
  bool is_sequence() const { return kind == Kind::sequence; }

  const Node* find(std::string_view key) const;
  Node* find(std::string_view key);
  // Sets `key` like a Ruby hash does: an existing key keeps its place, a new one goes last.
  void set(const std::string& key, Node value);
  void erase(std::string_view key);
};

struct Node::Entry {
  std::string key;
  Node value;
};

// Parses `text`; syntax errors read "<file_name>:<line>:<column>: <what>". An empty document is
// a null node.
Result<Node> load_yaml(const std::string& text, const std::string& file_name);

// "a string", "an integer", "a sequence", "a map", "null", "a !reference"... for error messages;
// plain scalars are described by their YAML type.
std::string describe(const Node& node);

// Ruby's Hash#deep_merge (what GitLab's `extends` uses): maps merge key by key, recursively;
// anything else in `overlay` replaces what `base` has.
void deep_merge(Node& base, const Node& overlay);

// "<file>: <path>: <reason>", or "<file>: <reason>" for an empty path: every configuration error
// names the file and where in it.
Error config_error(const std::string& file_name, const std::string& path,
                   const std::string& reason);

// Key paths for messages: `build` + `services` -> `build.services`; `build.services` + 1 ->
// `build.services[1]`.
std::string path_key(const std::string& path, const std::string& key);
std::string path_index(const std::string& path, size_t index);

}  // namespace burrow::shim::job
