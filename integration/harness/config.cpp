#include "harness/config.hpp"

#include <vector>

#include "harness/command.hpp"
#include "harness/environment.hpp"

namespace integration {

using nlohmann::json;

namespace {

json default_mounts() {
  return json::array({
      {{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}},
      {{"destination", "/dev"},
       {"type", "tmpfs"},
       {"source", "tmpfs"},
       {"options", {"nosuid", "strictatime", "mode=755", "size=65536k"}}},
      {{"destination", "/dev/pts"},
       {"type", "devpts"},
       {"source", "devpts"},
       {"options", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}}},
      {{"destination", "/dev/shm"},
       {"type", "tmpfs"},
       {"source", "shm"},
       {"options", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}}},
      {{"destination", "/dev/mqueue"},
       {"type", "mqueue"},
       {"source", "mqueue"},
       {"options", {"nosuid", "noexec", "nodev"}}},
      {{"destination", "/sys"},
       {"type", "sysfs"},
       {"source", "sysfs"},
       {"options", {"nosuid", "noexec", "nodev", "ro"}}},
      {{"destination", "/sys/fs/cgroup"},
       {"type", "cgroup"},
       {"source", "cgroup"},
       {"options", {"nosuid", "noexec", "nodev", "relatime", "ro"}}},
  });
}

json default_process(const std::string& marker) {
  json caps = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  return {
      {"terminal", false},
      {"user", {{"uid", 0}, {"gid", 0}}},
      {"args", {"/probe"}},
      {"env",
       {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm",
        "BURROW_TEST_ID=" + marker}},
      {"cwd", "/"},
      {"capabilities",
       {{"bounding", caps}, {"effective", caps}, {"permitted", caps}, {"ambient", caps}}},
      {"rlimits", json::array({{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}})},
      {"noNewPrivileges", true},
  };
}

json default_linux() {
  return {
      {"resources", {{"devices", json::array({{{"allow", false}, {"access", "rwm"}}})}}},
      {"namespaces", json::array({{{"type", "pid"}},
                                  {{"type", "network"}},
                                  {{"type", "ipc"}},
                                  {{"type", "uts"}},
                                  {{"type", "mount"}}})},
      {"maskedPaths",
       {"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
        "/proc/scsi"}},
      {"readonlyPaths", {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}},
  };
}

}  // namespace

json base_config(const std::string& rootfs, const std::string& marker) {
  return {
      {"ociVersion", "1.0.2"},
      {"process", default_process(marker)},
      {"root", {{"path", rootfs}, {"readonly", true}}},
      {"hostname", "burrow-test"},
      {"mounts", default_mounts()},
      {"linux", default_linux()},
  };
}

json probe_args(const std::vector<std::string>& args) {
  json result = json::array({"/probe"});
  for (const auto& arg : args) result.push_back(arg);
  return result;
}

void apply_profile(json& config, const std::string& name) {
  json profile =
      json::parse(read_text(std::string(BURROW_SOURCE_DIR) + "/profiles/" + name + ".json"));
  config.merge_patch(profile);
  // Another runtime ignores burrow's run.burrow.userns=auto (dind.json): it gets the fixed range
  // the profile wrote before burrow leased ranges.
  const json& annotations = config.value("annotations", json::object());
  if (!runtime_is_burrow() && annotations.value("run.burrow.userns", "") == "auto") {
    json range = json::array({{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}});
    config["linux"]["uidMappings"] = range;
    config["linux"]["gidMappings"] = range;
  }
}

}  // namespace integration
