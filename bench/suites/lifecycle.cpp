#include <unistd.h>

#include <fstream>
#include <map>

#include "suites/bundle.hpp"
#include "suites/suites.hpp"

namespace burrow::bench {

namespace {

// The lifecycle series of one runtime, by name.
using Series = std::map<std::string, Measurement>;

void record(Series& series, const std::string& name, const Call& call) {
  Measurement& m = series[name];
  if (call.ok()) {
    m.samples.push_back(call.timed.ms);
  } else {
    if (m.failures++ == 0) m.first_error = call.error;
  }
}

// Waits (untimed) until the container's process has exited, so `delete` finds it stopped.
void wait_stopped(Session& session, const Target& target, const std::string& id) {
  std::string out = session.work_dir() + "/state.json";
  for (int i = 0; i < 200; ++i) {
    Call call = session.run(target, {"state", id}, out);
    if (!call.ok()) return;
    auto text = nlohmann::json::parse(std::ifstream(out), nullptr, false);
    if (text.is_discarded() || text.value("status", "") == "stopped") return;
    usleep(10000);
  }
}

// A foreground run of the bundle, recorded as `name`.
void timed_run(Session& session, const Target& target, const std::string& bundle, const char* name,
               Series& series) {
  std::string id = session.new_id("bench-run");
  Call run = session.run(target, {"run", "--bundle", bundle, id});
  record(series, name, run);
  if (!run.ok()) session.run(target, {"delete", "--force", id});
}

void one_round(Session& session, const Target& target, const std::string& bundle_true,
               const std::string& exec_id, Series& series) {
  const std::string& name = target.runtime.name;
  session.progress().step("lifecycle", name);
  timed_run(session, target, bundle_true, "run", series);
  timed_run(session, target, bundle_true + "-limits", "run_limits", series);
  std::string id;

  id = session.new_id("bench-cycle");
  Call create = session.run(target, {"create", "--bundle", bundle_true, id});
  record(series, "create", create);
  if (create.ok()) {
    Call start = session.run(target, {"start", id});
    record(series, "start", start);
    if (start.ok()) wait_stopped(session, target, id);
    Call del = session.run(target, {"delete", id});
    record(series, "delete", del);
  }
  session.run(target, {"delete", "--force", id});

  if (!exec_id.empty()) record(series, "exec", session.run(target, {"exec", exec_id, "/bin/true"}));
}

}  // namespace

int lifecycle_steps(const SuiteOptions& options, int runtimes) {
  return options.repetitions * runtimes;
}

std::vector<size_t> rotated_order(size_t count, int rep) {
  std::vector<size_t> order;
  for (size_t i = 0; i < count; ++i) order.push_back((i + static_cast<size_t>(rep)) % count);
  return order;
}

Status run_lifecycle(Session& session, const SuiteOptions& options, Results& results) {
  std::string bundle_true = session.work_dir() + "/bundle-true";
  std::string bundle_sleep = session.work_dir() + "/bundle-sleep";
  BURROW_TRY(
      write_bundle(bundle_true, workload(options.base_config, options.rootfs, {"/bin/true"})));
  // The same with memory and pids limits: the cost of cgroup setup (scripts/bench-lifecycle's
  // second series).
  nlohmann::json limited = workload(options.base_config, options.rootfs, {"/bin/true"});
  limited["linux"]["resources"]["memory"] = {{"limit", 268435456}};
  limited["linux"]["resources"]["pids"] = {{"limit", 100}};
  BURROW_TRY(write_bundle(bundle_true + "-limits", limited));
  BURROW_TRY(write_bundle(bundle_sleep,
                          workload(options.base_config, options.rootfs, {"/bin/sleep", "3600"})));
  auto& targets = session.targets();
  std::vector<Series> series(targets.size());
  std::vector<std::string> exec_ids(targets.size());
  for (size_t t = 0; t < targets.size(); ++t) {
    std::string id = session.new_id("bench-exec");
    Call started = session.run(targets[t], {"run", "--detach", "--bundle", bundle_sleep, id});
    if (started.ok()) {
      exec_ids[t] = id;
    } else {
      Measurement& m = series[t]["exec"];
      m.failures = 1;
      m.first_error = "the container to exec into: " + started.error;
    }
  }
  for (int rep = 0; rep < options.repetitions && !session.stop_requested(); ++rep) {
    for (size_t t : rotated_order(targets.size(), rep)) {
      if (session.stop_requested()) break;
      one_round(session, targets[t], bundle_true, exec_ids[t], series[t]);
    }
  }
  for (size_t t = 0; t < targets.size(); ++t) {
    if (!exec_ids[t].empty()) session.run(targets[t], {"delete", "--force", exec_ids[t]});
    for (const char* name : {"run", "run_limits", "create", "start", "delete", "exec"}) {
      auto found = series[t].find(name);
      if (found == series[t].end()) continue;
      Measurement m = found->second;
      m.suite = "lifecycle";
      m.name = name;
      m.runtime = targets[t].runtime.name;
      m.unit = "ms";
      results.measurements.push_back(std::move(m));
    }
  }
  return {};
}

}  // namespace burrow::bench
