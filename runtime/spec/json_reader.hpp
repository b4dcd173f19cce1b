// Typed, path-aware reading of config.json values for the parser. Every failure names the JSON
// path it happened at ("process.user.uid: expected unsigned 32-bit integer, got string"), and
// ObjectReader remembers which members were asked for, so unknown ones can be logged and
// ignored (the spec's extensibility rule) at every level.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.hpp"

namespace burrow::spec::json_reader {

using Json = nlohmann::json;

// "<path>: <reason>", or just the reason at the document root.
Error error_at(const std::string& path, const std::string& reason);
// What a value is, for "expected X, got Y": the JSON type, or the number itself.
std::string describe(const Json& value);
// "process.rlimits" + 2 -> "process.rlimits[2]".
std::string index_path(const std::string& path, size_t index);
// "process" + "user" -> "process.user"; "" + "process" -> "process".
std::string member_path(const std::string& path, std::string_view key);

Result<std::string> read_string(const Json& value, const std::string& path);
Result<bool> read_bool(const Json& value, const std::string& path);
Result<std::vector<std::string>> read_string_list(const Json& value, const std::string& path);
Result<std::map<std::string, std::string>> read_string_map(const Json& value,
                                                           const std::string& path);

// "unsigned 32-bit integer", "signed 64-bit integer", ...
template <typename T>
std::string integer_kind() {
  return std::string(std::numeric_limits<T>::is_signed ? "signed " : "unsigned ") +
         std::to_string(std::numeric_limits<T>::digits + std::numeric_limits<T>::is_signed) +
         "-bit integer";
}

// An integer that fits T exactly; floats, strings and out-of-range numbers are refused.
template <typename T>
Result<T> read_integer(const Json& value, const std::string& path) {
  auto refuse = [&] {
    return error_at(path, "expected " + integer_kind<T>() + ", got " + describe(value));
  };
  if (value.is_number_unsigned()) {
    uint64_t number = value.get<uint64_t>();
    if (!std::in_range<T>(number)) return refuse();
    return static_cast<T>(number);
  }
  if (value.is_number_integer()) {
    int64_t number = value.get<int64_t>();
    if (!std::in_range<T>(number)) return refuse();
    return static_cast<T>(number);
  }
  return refuse();
}

template <typename T>
Result<std::vector<T>> read_integer_list(const Json& value, const std::string& path) {
  if (!value.is_array()) return error_at(path, "expected array, got " + describe(value));
  std::vector<T> out;
  for (size_t i = 0; i < value.size(); ++i) {
    out.push_back(BURROW_TRY(read_integer<T>(value[i], index_path(path, i))));
  }
  return out;
}

// One JSON object being read. Members that are absent or null count as not given (as in the
// Go reference implementation, null is the zero value).
class ObjectReader {
 public:
  // Fails with "<path>: expected object, got <type>".
  static Result<ObjectReader> open(const Json& value, std::string path);

  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const { return member_path(path_, key); }
  // The member, or nullptr when absent or null. Marks `key` as known.
  const Json* get(std::string_view key);
  // Marks `key` as known; when present and non-null, appends its path to `unsupported`.
  void note_unsupported(std::string_view key, std::vector<std::string>& unsupported);
  // spdlog::debug for every member nobody asked for.
  void log_unknown_members() const;

  Status string(std::string_view key, std::string& out);
  Status boolean(std::string_view key, bool& out);
  Status strings(std::string_view key, std::vector<std::string>& out);
  Status string_map(std::string_view key, std::map<std::string, std::string>& out);
  // Like get(), but a missing member is an error: "<path>.<key>: required field is missing".
  Result<const Json*> required(std::string_view key);

  template <typename T>
  Status integer(std::string_view key, T& out) {
    if (const Json* value = get(key)) out = BURROW_TRY(read_integer<T>(*value, path_of(key)));
    return {};
  }
  template <typename T>
  Status integer(std::string_view key, std::optional<T>& out) {
    if (const Json* value = get(key)) out = BURROW_TRY(read_integer<T>(*value, path_of(key)));
    return {};
  }
  // parse(const Json&, const std::string& path) -> Result<T>, for a nested object.
  template <typename T, typename Parse>
  Status object(std::string_view key, std::optional<T>& out, Parse parse) {
    if (const Json* value = get(key)) out = BURROW_TRY(parse(*value, path_of(key)));
    return {};
  }
  // parse(const Json&, const std::string& path) -> Result<T>, for each array element.
  template <typename T, typename Parse>
  Status list(std::string_view key, std::vector<T>& out, Parse parse) {
    const Json* value = get(key);
    if (!value) return {};
    if (!value->is_array()) {
      return error_at(path_of(key), "expected array, got " + describe(*value));
    }
    for (size_t i = 0; i < value->size(); ++i) {
      out.push_back(BURROW_TRY(parse((*value)[i], index_path(path_of(key), i))));
    }
    return {};
  }
  // parse(const Json&, const std::string& path) -> Result<T>, for each member of a map object.
  template <typename T, typename Parse>
  Status map(std::string_view key, std::map<std::string, T>& out, Parse parse) {
    const Json* value = get(key);
    if (!value) return {};
    if (!value->is_object()) {
      return error_at(path_of(key), "expected object, got " + describe(*value));
    }
    for (const auto& [name, item] : value->items()) {
      out[name] = BURROW_TRY(parse(item, path_of(key) + "." + name));
    }
    return {};
  }

 private:
  ObjectReader(const Json& object, std::string path) : object_(&object), path_(std::move(path)) {}

  const Json* object_;
  std::string path_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace burrow::spec::json_reader
