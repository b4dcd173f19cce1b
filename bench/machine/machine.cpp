#include "machine/machine.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <sstream>

#include "base/file.hpp"

namespace burrow::bench {

namespace {

std::string read_or_empty(const std::string& path) {
  auto text = file::read(path);
  return text ? *text : std::string();
}

std::string trim(std::string text) {
  text.erase(0, text.find_first_not_of(" \t\""));
  auto end = text.find_last_not_of(" \t\"\n");
  text.erase(end == std::string::npos ? 0 : end + 1);
  return text;
}

// The value after "key:" (or "key=") on the first line that starts with key.
std::string field(const std::string& text, const std::string& key, char separator) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(key, 0) != 0) continue;
    auto at = line.find(separator, key.size());
    if (at == std::string::npos) continue;
    if (trim(line.substr(key.size(), at - key.size())).empty()) return trim(line.substr(at + 1));
  }
  return {};
}

}  // namespace

LoadAverage parse_loadavg(const std::string& text) {
  LoadAverage load;
  std::istringstream in(text);
  for (double& value : load.values) in >> value;
  return load;
}

std::string parse_cpu_model(const std::string& cpuinfo) {
  return field(cpuinfo, "model name", ':');
}

long parse_mem_total_kib(const std::string& meminfo) {
  std::string value = field(meminfo, "MemTotal", ':');
  return value.empty() ? 0 : std::stol(value);
}

std::string parse_os_name(const std::string& os_release) {
  return field(os_release, "PRETTY_NAME", '=');
}

std::string parse_cgroup_mode(const std::string& mounts) {
  bool v1 = false, v2 = false, v2_root = false;
  std::istringstream lines(mounts);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string source, target, type;
    words >> source >> target >> type;
    if (target.rfind("/sys/fs/cgroup", 0) != 0) continue;
    if (type == "cgroup") v1 = true;
    if (type == "cgroup2") {
      v2 = true;
      if (target == "/sys/fs/cgroup") v2_root = true;
    }
  }
  if (v2_root) return "v2";
  if (v1 && v2) return "hybrid";
  if (v1) return "v1";
  return v2 ? "v2" : "none";
}

LoadAverage read_load() {
  return parse_loadavg(read_or_empty("/proc/loadavg"));
}

Machine detect_machine() {
  Machine machine;
  utsname names{};
  if (uname(&names) == 0) {
    machine.hostname = names.nodename;
    machine.kernel = names.release;
  }
  machine.cgroup_mode = parse_cgroup_mode(read_or_empty("/proc/self/mounts"));
  machine.cpu_model = parse_cpu_model(read_or_empty("/proc/cpuinfo"));
  machine.cpus = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  machine.memory_kib = parse_mem_total_kib(read_or_empty("/proc/meminfo"));
  machine.os = parse_os_name(read_or_empty("/etc/os-release"));
  machine.load_before = read_load();
  return machine;
}

nlohmann::json to_json(const Machine& machine) {
  return {{"hostname", machine.hostname},
          {"kernel", machine.kernel},
          {"os", machine.os},
          {"cgroup_mode", machine.cgroup_mode},
          {"cpu_model", machine.cpu_model},
          {"cpus", machine.cpus},
          {"memory_kib", machine.memory_kib},
          {"load_before", machine.load_before.values},
          {"load_after", machine.load_after.values}};
}

}  // namespace burrow::bench
