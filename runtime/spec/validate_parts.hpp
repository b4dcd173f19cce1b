// The validator's rule groups; validate.cpp runs them in order. Internal to spec/. Each returns
// "<json path>: <reason>"; validate_config adds the "config.json: " prefix.
#pragma once

#include <string>
#include <string_view>

#include "base/error.hpp"
#include "spec/model.hpp"
#include "spec/validate.hpp"

namespace burrow::spec::validate_parts {

inline Error invalid(const std::string& path, const std::string& reason) {
  return Error::msg(path + ": " + reason);
}
inline std::string in_quotes(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}
inline bool is_absolute(std::string_view path) {
  return !path.empty() && path.front() == '/';
}
inline std::string at(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

Status check_unsupported(const Spec& spec);
Status check_process_scheduling(const Spec& spec);
Status check_memory_policy(const Spec& spec);
Status check_namespaces(const Spec& spec);
Status check_user_namespace(const Spec& spec, const ValidationContext& ctx);
Status check_uts_and_paths(const Spec& spec);
Status check_time_offsets(const Spec& spec);
Status check_hooks(const Spec& spec);
Status check_sysctl(const Spec& spec);
Status check_devices(const Spec& spec);
Status check_mounts(const Spec& spec);

// Host id for `id` in `mappings`, if the range covers it.
std::optional<uint32_t> map_id(const std::vector<IdMapping>& mappings, uint32_t id);

}  // namespace burrow::spec::validate_parts
