#include <fstream>
#include <sstream>

#include "base/file.hpp"
#include "suites/bundle.hpp"
#include "suites/suites.hpp"

namespace burrow::bench {

namespace {

long mem_available_kib() {
  std::ifstream meminfo("/proc/meminfo");
  for (std::string key; meminfo >> key;) {
    long value = 0;
    meminfo >> value;
    if (key == "MemAvailable:") return value;
    meminfo.ignore(256, '\n');
  }
  return 0;
}

// A "Key:  value kB" field of a /proc or cgroup file, 0 when missing.
long field_kib(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) != 0) continue;
    std::istringstream words(line.substr(key.size()));
    long value = 0;
    words >> value;
    return value;
  }
  return 0;
}

// The proportional set size of a process, 0 when unreadable.
long pss_kib(const std::string& pid) {
  return field_kib("/proc/" + pid + "/smaps_rollup", "Pss:");
}

// The memory charged to the process's cgroup (v1 memory.usage_in_bytes, else v2
// memory.current), in KiB; 0 when unreadable.
long cgroup_memory_kib(const std::string& pid) {
  std::ifstream cgroups("/proc/" + pid + "/cgroup");
  std::string v2_path;
  for (std::string line; std::getline(cgroups, line);) {
    auto first = line.find(':');
    auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    std::istringstream names(controllers);
    for (std::string name; std::getline(names, name, ',');) {
      if (name == "memory") {
        std::ifstream usage("/sys/fs/cgroup/memory" + path + "/memory.usage_in_bytes");
        long bytes = 0;
        usage >> bytes;
        return bytes / 1024;
      }
    }
    if (controllers.empty()) v2_path = path;
  }
  std::ifstream current("/sys/fs/cgroup" + v2_path + "/memory.current");
  long bytes = 0;
  current >> bytes;
  return bytes / 1024;
}

struct Level {
  Measurement start_all, per_container, memory, host_memory, pss, delete_all;
};

void fail(Measurement& m, const std::string& error) {
  if (m.failures++ == 0) m.first_error = error;
}

// One repetition: start n containers, measure, delete them all.
void one_level(Session& session, const Target& target, const std::string& bundle, int n,
               Level& level) {
  session.progress().step("density " + std::to_string(n), target.runtime.name, n);
  long available_before = mem_available_kib();
  std::vector<std::string> ids;
  double start_ms = 0;
  double pss_total = 0;
  double cgroup_total = 0;
  std::string error;
  for (int i = 0; i < n && error.empty(); ++i) {
    std::string id = session.new_id("bench-density");
    std::string pid_file = session.work_dir() + "/" + id + ".pid";
    Call call =
        session.run(target, {"run", "--detach", "--pid-file", pid_file, "--bundle", bundle, id});
    ids.push_back(id);
    if (!call.ok()) {
      error = call.error;
      break;
    }
    start_ms += call.timed.ms;
    auto pid = file::read(pid_file);
    unlink(pid_file.c_str());
    if (pid) {
      while (!pid->empty() && (pid->back() == '\n' || pid->back() == ' ')) pid->pop_back();
      pss_total += static_cast<double>(pss_kib(*pid));
      cgroup_total += static_cast<double>(cgroup_memory_kib(*pid));
    }
  }
  if (error.empty()) {
    long available_after = mem_available_kib();
    level.start_all.samples.push_back(start_ms);
    level.per_container.samples.push_back(start_ms / n);
    level.memory.samples.push_back(cgroup_total / n);
    level.host_memory.samples.push_back(static_cast<double>(available_before - available_after) /
                                        n);
    level.pss.samples.push_back(pss_total / n);
  } else {
    fail(level.start_all, error);
  }
  double delete_ms = 0;
  bool deleted = true;
  for (const auto& id : ids) {
    Call call = session.run(target, {"delete", "--force", id});
    delete_ms += call.timed.ms;
    if (!call.ok()) {
      deleted = false;
      fail(level.delete_all, call.error);
    }
  }
  if (deleted && error.empty()) level.delete_all.samples.push_back(delete_ms);
}

}  // namespace

int density_steps(const SuiteOptions& options, int runtimes) {
  int containers = 0;
  for (int n : options.density_levels) containers += n;
  return containers * options.density_repetitions * runtimes;
}

Status run_density(Session& session, const SuiteOptions& options, Results& results) {
  std::string bundle = session.work_dir() + "/bundle-density";
  BURROW_TRY(
      write_bundle(bundle, workload(options.base_config, options.rootfs, {"/bin/sleep", "3600"})));
  auto& targets = session.targets();
  for (int n : options.density_levels) {
    std::vector<Level> levels(targets.size());
    for (int rep = 0; rep < options.density_repetitions && !session.stop_requested(); ++rep) {
      for (size_t t : rotated_order(targets.size(), rep)) {
        if (session.stop_requested()) break;
        one_level(session, targets[t], bundle, n, levels[t]);
      }
    }
    for (size_t t = 0; t < targets.size(); ++t) {
      auto add = [&](Measurement m, const char* name, const char* unit) {
        if (m.samples.empty() && m.failures == 0) return;
        m.suite = "density";
        m.name = name;
        m.runtime = targets[t].runtime.name;
        m.containers = n;
        m.unit = unit;
        results.measurements.push_back(std::move(m));
      };
      add(levels[t].start_all, "start_all", "ms");
      add(levels[t].per_container, "start_per_container", "ms");
      add(levels[t].memory, "memory_per_container", "KiB");
      add(levels[t].host_memory, "host_memory_per_container", "KiB");
      add(levels[t].pss, "init_pss", "KiB");
      add(levels[t].delete_all, "delete_all", "ms");
    }
    if (session.stop_requested()) break;
  }
  return {};
}

}  // namespace burrow::bench
