#include "gitlab/driver_env.hpp"

#include <unistd.h>

#include <cctype>
#include <cstdio>

#include <nlohmann/json.hpp>

extern char** environ;

namespace burrow::shim::gitlab {
namespace {

constexpr std::string_view kPrefix = "CUSTOM_ENV_";

int code_or(const Environment& env, const std::string& key, int fallback) {
  auto found = env.find(key);
  if (found == env.end() || found->second.empty() || found->second.size() > 3) return fallback;
  for (char c : found->second) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return fallback;
  }
  int code = std::stoi(found->second);
  return code >= 1 && code <= 255 ? code : fallback;
}

// FNV-1a, 64 bits: a stable discriminator, not a security boundary.
std::string short_hash(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  char out[9];
  std::snprintf(out, sizeof out, "%08llx", static_cast<unsigned long long>(hash & 0xffffffffull));
  return out;
}

Result<std::vector<std::string>> string_list(const nlohmann::json& value,
                                             const std::string& where) {
  std::vector<std::string> out;
  if (value.is_null()) return out;
  if (!value.is_array()) return Error::msg(where + ": expected an array of strings");
  for (const auto& item : value) {
    if (!item.is_string()) return Error::msg(where + ": expected an array of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

// GitLab's alias field may list several names, comma or space separated.
std::vector<std::string> split_aliases(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text + ",") {
    if (c == ',' || c == ' ') {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  return out;
}

}  // namespace

Environment current_environment() {
  Environment env;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    auto equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    env[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
  }
  return env;
}

ExitCodes exit_codes(const Environment& env) {
  ExitCodes codes;
  codes.build_failure = code_or(env, "BUILD_FAILURE_EXIT_CODE", 1);
  codes.system_failure = code_or(env, "SYSTEM_FAILURE_EXIT_CODE", 2);
  if (auto file = env.find("BUILD_EXIT_CODE_FILE"); file != env.end())
    codes.build_exit_code_file = file->second;
  return codes;
}

job::Variables job_variables(const Environment& env) {
  job::Variables out;
  for (const auto& [key, value] : env) {
    if (key.size() > kPrefix.size() && key.compare(0, kPrefix.size(), kPrefix) == 0)
      out.push_back({key.substr(kPrefix.size()), value});
  }
  return out;
}

std::string job_variable(const Environment& env, std::string_view key) {
  auto found = env.find(std::string(kPrefix) + std::string(key));
  return found == env.end() ? "" : found->second;
}

Result<std::string> job_key(const Environment& env) {
  std::string id = job_variable(env, "CI_JOB_ID");
  bool digits = !id.empty() && id.size() <= 20;
  for (char c : id) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (!digits) {
    return Error::msg("CUSTOM_ENV_CI_JOB_ID: " +
                      (id.empty()
                           ? std::string("not set (is this GitLab Runner's custom executor?)")
                           : "'" + id + "' is not a job id"));
  }
  return id + "-gitlab-" + short_hash(job_variable(env, "CI_SERVER_URL"));
}

std::string pod_hostname(const Environment& env) {
  std::string id = job_variable(env, "CI_JOB_ID");
  return "runner-burrow-job-" + (id.empty() ? std::string("0") : id);
}

Result<std::vector<job::ServiceSpec>> parse_services_json(const std::string& text,
                                                          const std::string& what) {
  std::vector<job::ServiceSpec> services;
  if (text.empty()) return services;
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) return Error::msg(what + ": not valid JSON");
  if (json.is_null()) return services;
  if (!json.is_array()) return Error::msg(what + ": expected a JSON array of services");
  for (size_t i = 0; i < json.size(); ++i) {
    const auto& entry = json[i];
    std::string where = what + ": [" + std::to_string(i) + "]";
    if (!entry.is_object()) return Error::msg(where + ": expected an object");
    job::ServiceSpec service;
    if (!entry.contains("name") || !entry["name"].is_string() ||
        entry["name"].get<std::string>().empty())
      return Error::msg(where + ".name: expected the service's image name");
    service.image.name = entry["name"].get<std::string>();
    if (entry.contains("alias")) {
      if (!entry["alias"].is_string()) return Error::msg(where + ".alias: expected a string");
      service.aliases = split_aliases(entry["alias"].get<std::string>());
    }
    if (entry.contains("entrypoint") && !entry["entrypoint"].is_null()) {
      auto list = BURROW_TRY(string_list(entry["entrypoint"], where + ".entrypoint"));
      // The runner's `entrypoint: [""]` (and []) mean "no entrypoint".
      if (list.size() == 1 && list[0].empty()) list.clear();
      service.image.entrypoint = list;
    }
    if (entry.contains("command") && !entry["command"].is_null())
      service.command = BURROW_TRY(string_list(entry["command"], where + ".command"));
    if (entry.contains("variables") && !entry["variables"].is_null()) {
      const auto& variables = entry["variables"];
      if (!variables.is_object())
        return Error::msg(where + ".variables: expected an object of strings");
      for (const auto& [key, value] : variables.items()) {
        if (!value.is_string())
          return Error::msg(where + ".variables." + key + ": expected a string");
        service.variables.push_back({key, value.get<std::string>()});
      }
    }
    services.push_back(std::move(service));
  }
  return services;
}

Result<std::vector<job::ServiceSpec>> job_services(const Environment& env) {
  if (auto set = env.find("CUSTOM_ENV_CI_JOB_SERVICES"); set != env.end())
    return parse_services_json(set->second, "CUSTOM_ENV_CI_JOB_SERVICES");
  if (auto set = env.find("CUSTOM_ENV_BURROW_SERVICES"); set != env.end())
    return parse_services_json(set->second, "CUSTOM_ENV_BURROW_SERVICES");
  return std::vector<job::ServiceSpec>{};
}

}  // namespace burrow::shim::gitlab
