// The machine a run measured: kernel, cgroup mode, CPU, memory and load, as the report
// records them next to every number.
#pragma once

#include <array>
#include <string>

#include <nlohmann/json.hpp>

namespace burrow::bench {

struct LoadAverage {
  std::array<double, 3> values{};  // 1, 5 and 15 minutes, from /proc/loadavg
};

struct Machine {
  std::string hostname;
  std::string kernel;       // uname -r
  std::string cgroup_mode;  // "v2", "hybrid" (v1 controllers + a cgroup2 mount) or "v1"
  std::string cpu_model;    // /proc/cpuinfo "model name"
  int cpus = 0;             // online CPUs
  long memory_kib = 0;      // MemTotal
  std::string os;           // /etc/os-release PRETTY_NAME
  LoadAverage load_before;
  LoadAverage load_after;
};

// Reads the current machine (load_after left zero; fill it with read_load at the end).
Machine detect_machine();
LoadAverage read_load();

// Pure parsers of the files above, for tests.
LoadAverage parse_loadavg(const std::string& text);
std::string parse_cpu_model(const std::string& cpuinfo);
long parse_mem_total_kib(const std::string& meminfo);
std::string parse_os_name(const std::string& os_release);
// From /proc/self/mounts: "v2" when / of /sys/fs/cgroup is cgroup2, "hybrid" when cgroup (v1)
// and cgroup2 are both mounted, "v1" when only cgroup is.
std::string parse_cgroup_mode(const std::string& mounts);

nlohmann::json to_json(const Machine& machine);

}  // namespace burrow::bench
