#include <unistd.h>

#include <fstream>
#include <optional>

#include "base/file.hpp"

#include "suites/bundle.hpp"
#include "suites/suites.hpp"

namespace burrow::bench {

namespace {

using nlohmann::json;

// The configurations of the scorecard: how each one's config.json is made from the runtime.
struct Config {
  const char* name;
  std::vector<std::string> spec_args;  // `spec` with these arguments
  bool privileged;                     // then made --privileged-like
  bool rootless;                       // run by the unprivileged user (SuiteOptions::rootless_uid)
};

const std::vector<Config>& configs() {
  static const std::vector<Config> all = {
      {"default", {}, false, false},
      {"profile-default", {"--profile", "default"}, false, false},
      {"dind", {"--profile", "dind"}, false, false},
      {"rootless", {"--rootless"}, false, true},
      {"privileged", {}, true, false}};
  return all;
}

// The capabilities of burrow-bench's own bounding set: what a runtime run by it can grant.
std::vector<int> own_capabilities() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("CapBnd:", 0) == 0) return capability_bits(line.substr(7));
  }
  return {};
}

std::string ns_link(int fd) {
  char target[256];
  std::string link = "/proc/self/fd/" + std::to_string(fd);
  ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
  return n >= 0 ? std::string(target, static_cast<size_t>(n)) : std::string();
}

// The user a rootless column runs as: its own state root and XDG_RUNTIME_DIR in the scratch dir.
Result<RunAs> rootless_user(Session& session, const Target& target, const SuiteOptions& options) {
  RunAs as;
  as.uid = options.rootless_uid;
  as.gid = options.rootless_gid;
  as.state_root = target.state_root + "-rootless";
  std::string runtime_dir = session.work_dir() + "/xdg-rootless";
  for (const auto& dir : {as.state_root, runtime_dir}) {
    BURROW_TRY(file::mkdir_all(dir, 0700));
    if (chown(dir.c_str(), static_cast<uid_t>(as.uid), static_cast<gid_t>(as.gid)) != 0) {
      return Error::from_errno("chown " + dir);
    }
  }
  as.env = {"XDG_RUNTIME_DIR=" + runtime_dir, "HOME=" + runtime_dir,
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"};
  return as;
}

ScoreColumn probe_column(Session& session, const Target& target, const Config& config,
                         const std::string& rootfs, const HostNamespaces& host, const RunAs* as) {
  ScoreColumn column{target.runtime.name, config.name, "", {}};
  auto spec = runtime_spec(session, target, config.spec_args, as);
  if (!spec) {
    column.error = "not available: " + spec.error().message;
    return column;
  }
  json base = workload(*spec, rootfs, {kProbePath});
  if (config.privileged) base = privileged(base, own_capabilities());
  std::string bundle = session.work_dir() + "/" + session.new_id("bundle-score");
  if (auto written = write_bundle(bundle, base); !written) {
    column.error = written.error().message;
    return column;
  }
  std::string out = bundle + "/probe.json";
  std::string id = session.new_id("bench-score");
  Call call = session.run(target, {"run", "--bundle", bundle, id}, out, "/", as);
  if (!call.ok()) {
    session.run(target, {"delete", "--force", id}, "", "/", as);
    column.error = call.error;
    return column;
  }
  json report = json::parse(std::ifstream(out), nullptr, false);
  if (report.is_discarded()) {
    column.error = "the probe printed no JSON (" + out + ")";
    return column;
  }
  HostNamespaces compared = host;
  // The runtime ran in its own private copy of the host's mount namespace: a container
  // without a mount namespace shares that one.
  compared["mnt"] = ns_link(target.mount_namespace.get());
  column.facts = facts_from_probe(report, compared);
  return column;
}

}  // namespace

int scorecard_steps(const SuiteOptions& options, int runtimes) {
  int columns = static_cast<int>(configs().size()) - (options.rootless_uid < 0 ? 1 : 0);
  return columns * runtimes;
}

Status run_scorecard(Session& session, const SuiteOptions& options, Results& results) {
  HostNamespaces host = read_host_namespaces();
  for (const Config& config : configs()) {
    for (const Target& target : session.targets()) {
      if (session.stop_requested()) return {};
      if (config.rootless && options.rootless_uid < 0) continue;
      session.progress().step(std::string("scorecard ") + config.name, target.runtime.name);
      std::optional<RunAs> as;
      if (config.rootless) as = BURROW_TRY(rootless_user(session, target, options));
      ScoreColumn column =
          probe_column(session, target, config, options.rootfs, host, as ? &*as : nullptr);
      // A profile the runtime does not have is no column: only a failed probe is reported.
      if (!column.error.empty() && column.error.rfind("not available", 0) == 0 &&
          !config.spec_args.empty()) {
        continue;
      }
      results.scorecard.push_back(std::move(column));
    }
  }
  return {};
}

}  // namespace burrow::bench
