// A bench session: the runtimes under test, each with its private mount namespace and state
// root, the scratch dir, the progress line and the stop request (SIGINT/SIGTERM, blocked in
// burrow-bench and read with sigpending, so no handler and no global flag).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "runner/process.hpp"
#include "runner/runtime.hpp"
#include "suites/progress.hpp"

namespace burrow::bench {

struct Target {
  Runtime runtime;
  Fd mount_namespace;
  std::string state_root;
};

// An unprivileged user the runtime runs as (rootless): its ids, environment and the state root
// it owns.
struct RunAs {
  int uid = -1;
  int gid = -1;
  std::vector<std::string> env;
  std::string state_root;
};

// The outcome of one runtime command: timing, and its stderr when it failed.
struct Call {
  Timed timed;
  std::string error;  // empty on success
  bool ok() const { return error.empty(); }
};

class Session {
 public:
  // Makes work_dir/state-NAME per runtime and the mount namespaces.
  static Result<std::unique_ptr<Session>> open(std::vector<Runtime> runtimes, std::string work_dir,
                                               bool terminal);

  std::vector<Target>& targets() { return targets_; }
  const std::string& work_dir() const { return work_dir_; }
  Progress& progress() { return progress_; }

  // Runs `<runtime> --root STATE subcommand...` in the target's mount namespace, timed; stdout
  // goes to /dev/null or, with out_path, to that file.
  Call run(const Target& target, const std::vector<std::string>& subcommand,
           const std::string& out_path = "", const std::string& cwd = "/",
           const RunAs* as = nullptr, std::chrono::milliseconds timeout = std::chrono::seconds(60));

  // True once SIGINT or SIGTERM arrived: suites stop between measurements.
  bool stop_requested() const;
  // A container id unique in this session: PREFIX-N.
  std::string new_id(const std::string& prefix) { return prefix + "-" + std::to_string(++ids_); }

 private:
  Session(std::string work_dir, bool terminal)
      : work_dir_(std::move(work_dir)), progress_(0, terminal) {}
  std::string work_dir_;
  std::vector<Target> targets_;
  Progress progress_;
  long ids_ = 0;
};

}  // namespace burrow::bench
