#include "spec/json_reader.hpp"

#include <spdlog/spdlog.h>

namespace burrow::spec::json_reader {

Error error_at(const std::string& path, const std::string& reason) {
  return Error::msg(path.empty() ? reason : path + ": " + reason);
}

std::string describe(const Json& value) {
  if (value.is_number()) return value.dump();
  return value.type_name();
}

std::string index_path(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

std::string member_path(const std::string& path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return path + "." + std::string(key);
}

Result<std::string> read_string(const Json& value, const std::string& path) {
  if (!value.is_string()) return error_at(path, "expected string, got " + describe(value));
  return value.get<std::string>();
}

Result<bool> read_bool(const Json& value, const std::string& path) {
  if (!value.is_boolean()) return error_at(path, "expected boolean, got " + describe(value));
  return value.get<bool>();
}

Result<std::vector<std::string>> read_string_list(const Json& value, const std::string& path) {
  if (!value.is_array()) return error_at(path, "expected array, got " + describe(value));
  std::vector<std::string> out;
  for (size_t i = 0; i < value.size(); ++i) {
    out.push_back(BURROW_TRY(read_string(value[i], index_path(path, i))));
  }
  return out;
}

Result<std::map<std::string, std::string>> read_string_map(const Json& value,
                                                           const std::string& path) {
  if (!value.is_object()) return error_at(path, "expected object, got " + describe(value));
  std::map<std::string, std::string> out;
  for (const auto& [key, item] : value.items()) {
    out[key] = BURROW_TRY(read_string(item, path + "." + key));
  }
  return out;
}

Result<ObjectReader> ObjectReader::open(const Json& value, std::string path) {
  if (!value.is_object()) return error_at(path, "expected object, got " + describe(value));
  return ObjectReader(value, std::move(path));
}

const Json* ObjectReader::get(std::string_view key) {
  known_.emplace(key);
  auto it = object_->find(std::string(key));
  if (it == object_->end() || it->is_null()) return nullptr;
  return &*it;
}

void ObjectReader::note_unsupported(std::string_view key, std::vector<std::string>& unsupported) {
  if (get(key)) unsupported.push_back(path_of(key));
}

void ObjectReader::log_unknown_members() const {
  for (const auto& [key, value] : object_->items()) {
    if (!known_.contains(key)) {
      spdlog::debug("config.json: ignoring unknown field {}", member_path(path_, key));
    }
  }
}

Status ObjectReader::string(std::string_view key, std::string& out) {
  if (const Json* value = get(key)) out = BURROW_TRY(read_string(*value, path_of(key)));
  return {};
}

Status ObjectReader::boolean(std::string_view key, bool& out) {
  if (const Json* value = get(key)) out = BURROW_TRY(read_bool(*value, path_of(key)));
  return {};
}

Status ObjectReader::strings(std::string_view key, std::vector<std::string>& out) {
  if (const Json* value = get(key)) out = BURROW_TRY(read_string_list(*value, path_of(key)));
  return {};
}

Status ObjectReader::string_map(std::string_view key, std::map<std::string, std::string>& out) {
  if (const Json* value = get(key)) out = BURROW_TRY(read_string_map(*value, path_of(key)));
  return {};
}

Result<const Json*> ObjectReader::required(std::string_view key) {
  const Json* value = get(key);
  if (!value) return error_at(path_of(key), "required field is missing");
  return value;
}

}  // namespace burrow::spec::json_reader
