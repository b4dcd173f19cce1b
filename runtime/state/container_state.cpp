#include "state/container_state.hpp"

#include <pwd.h>

#include <cstdio>
#include <vector>

namespace burrow::state {
namespace {

using nlohmann::json;

Error field_error(const std::string& file, const char* field, const char* what) {
  return Error::msg(file + ": field \"" + field + "\": " + what);
}

Status read_string(const json& j, const std::string& file, const char* field, std::string& out,
                   bool required) {
  auto it = j.find(field);
  if (it == j.end()) {
    if (required) return field_error(file, field, "missing");
    return {};
  }
  if (!it->is_string()) return field_error(file, field, "must be a string");
  out = it->get<std::string>();
  return {};
}

Status read_uint(const json& j, const std::string& file, const char* field, uint64_t& out) {
  auto it = j.find(field);
  if (it == j.end()) return field_error(file, field, "missing");
  // Signed integers (pid_t serializes as one) are fine when not negative.
  bool non_negative =
      it->is_number_unsigned() || (it->is_number_integer() && it->get<int64_t>() >= 0);
  if (!non_negative) return field_error(file, field, "must be a non-negative integer");
  out = it->get<uint64_t>();
  return {};
}

Status read_string_map(const json& j, const std::string& file, const char* field,
                       std::map<std::string, std::string>& out) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_object()) return field_error(file, field, "must be an object");
  for (const auto& [key, value] : it->items()) {
    if (!value.is_string()) return field_error(file, field, "values must be strings");
    out[key] = value.get<std::string>();
  }
  return {};
}

Status read_scalars(const json& j, const std::string& file, ContainerState& st) {
  BURROW_TRY(read_string(j, file, "ociVersion", st.oci_version, false));
  BURROW_TRY(read_string(j, file, "id", st.id, true));
  uint64_t pid = 0;
  BURROW_TRY(read_uint(j, file, "pid", pid));
  if (pid > static_cast<uint64_t>(INT32_MAX)) return field_error(file, "pid", "out of range");
  st.init_pid = static_cast<pid_t>(pid);
  BURROW_TRY(read_uint(j, file, "pidStartTime", st.init_start_time));
  BURROW_TRY(read_string(j, file, "bundle", st.bundle, true));
  BURROW_TRY(read_string(j, file, "rootfs", st.rootfs, true));
  BURROW_TRY(read_string(j, file, "created", st.created, true));
  BURROW_TRY(read_string(j, file, "owner", st.owner, false));
  auto rootless = j.find("rootless");
  if (rootless != j.end()) {
    if (!rootless->is_boolean()) return field_error(file, "rootless", "must be a boolean");
    st.rootless = rootless->get<bool>();
  }
  return {};
}

}  // namespace

json to_json(const ContainerState& st) {
  json out{{"ociVersion", st.oci_version},
           {"id", st.id},
           {"pid", st.init_pid},
           {"pidStartTime", st.init_start_time},
           {"bundle", st.bundle},
           {"rootfs", st.rootfs},
           {"created", st.created},
           {"annotations", st.annotations},
           {"owner", st.owner},
           {"cgroupPaths", st.cgroup_paths},
           {"cgroupPreexisting", st.cgroup_preexisting},
           {"rootless", st.rootless},
           {"extra", st.extra}};
  if (st.id_range) out["idRange"] = *st.id_range;
  return out;
}

Result<ContainerState> from_json(const json& j, const std::string& file) {
  if (!j.is_object()) return Error::msg(file + ": not a JSON object");
  ContainerState st;
  BURROW_TRY(read_scalars(j, file, st));
  BURROW_TRY(read_string_map(j, file, "annotations", st.annotations));
  BURROW_TRY(read_string_map(j, file, "cgroupPaths", st.cgroup_paths));
  auto preexisting = j.find("cgroupPreexisting");  // absent in states written before it
  if (preexisting != j.end() && !preexisting->is_null()) {
    if (!preexisting->is_array()) return field_error(file, "cgroupPreexisting", "must be an array");
    for (const auto& mount_point : *preexisting) {
      if (!mount_point.is_string())
        return field_error(file, "cgroupPreexisting", "must be an array of strings");
      st.cgroup_preexisting.push_back(mount_point.get<std::string>());
    }
  }
  auto id_range = j.find("idRange");
  if (id_range != j.end()) {
    if (!id_range->is_number_unsigned()) return field_error(file, "idRange", "must be a uid");
    st.id_range = id_range->get<uint32_t>();
  }
  auto extra = j.find("extra");
  if (extra != j.end() && !extra->is_null()) {
    if (!extra->is_object()) return field_error(file, "extra", "must be an object");
    st.extra = *extra;
  }
  return st;
}

std::string format_rfc3339_nano(const struct timespec& utc) {
  struct tm tm {};
  time_t secs = utc.tv_sec;
  gmtime_r(&secs, &tm);
  char date[64];
  std::snprintf(date, sizeof(date), "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  std::string out = date;
  if (utc.tv_nsec != 0) {
    char frac[32];
    std::snprintf(frac, sizeof(frac), ".%09ld", static_cast<long>(utc.tv_nsec));
    std::string f = frac;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out + "Z";
}

std::string now_rfc3339_nano() {
  struct timespec ts {};
  clock_gettime(CLOCK_REALTIME, &ts);
  return format_rfc3339_nano(ts);
}

std::string user_name(uid_t uid) {
  std::vector<char> buf(16384);
  struct passwd pw {};
  struct passwd* found = nullptr;
  if (getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr) {
    return found->pw_name;
  }
  return "#" + std::to_string(uid);
}

}  // namespace burrow::state
