// What burrow remembers about one container between commands: <root>/<id>/state.json. This is
// burrow's own format (runc's state.json is an internal detail of runc); the outputs that other
// tools parse (`state`, `list`) are built from it in state/output.hpp.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.hpp"

namespace burrow::state {

struct ContainerState {
  std::string oci_version;  // the bundle config's ociVersion (runc's state prints it)
  std::string id;
  pid_t init_pid = 0;            // 0 while creating: the init does not exist yet
  uint64_t init_start_time = 0;  // field 22 of /proc/<pid>/stat: tells a recycled pid apart
  std::string bundle;            // absolute
  std::string rootfs;            // absolute
  std::string created;           // RFC 3339, UTC, nanoseconds as runc writes them
  std::map<std::string, std::string> annotations;
  std::string owner;  // user name of the creating uid ("#<uid>" without a passwd entry)
  // hierarchy mount point ("/sys/fs/cgroup/memory", "/sys/fs/cgroup/unified") -> cgroup dir
  std::map<std::string, std::string> cgroup_paths;
  // The mount points of cgroup_paths whose dir existed before the container (linux.cgroupsPath
  // naming an existing cgroup): delete neither removes them nor kills what is in them.
  std::vector<std::string> cgroup_preexisting;
  bool rootless = false;
  // The host uid starting the id range leased for run.burrow.userns=auto (id_pool.hpp).
  std::optional<uint32_t> id_range;
  nlohmann::json extra = nlohmann::json::object();  // for fields later issues add
};

nlohmann::json to_json(const ContainerState& state);
// `file` names the source in errors: "<file>: field \"pid\": must be a number".
Result<ContainerState> from_json(const nlohmann::json& json, const std::string& file);

// Go's time.RFC3339Nano for a UTC time: "2024-05-01T10:00:00.0735Z" (trailing zeros of the
// fraction dropped, no fraction at all when it is zero) — what runc writes for "created".
std::string format_rfc3339_nano(const struct timespec& utc);
// format_rfc3339_nano(clock_gettime(CLOCK_REALTIME)).
std::string now_rfc3339_nano();

// The user name of `uid` from the passwd database, or "#<uid>" (runc list's fallback).
std::string user_name(uid_t uid);

}  // namespace burrow::state
