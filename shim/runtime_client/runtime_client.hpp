// The shim's one way to the runtime: the `burrow` command line, as any engine drives runc. Each
// call runs `burrow --root <state> --log <file> --log-format json <command> ...`; on failure the
// error is burrow's own last error line from that log (the container's stdio are the caller's,
// so stderr cannot carry it). Nothing here knows the runtime's internals, and nothing bypasses
// its checks.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "runtime_client/child.hpp"

namespace burrow::shim::runtime {

class RuntimeClient {
 public:
  // `binary`: the burrow executable; `state_root`: its --root (one per job, so a job's
  // containers are listed and cleaned up together); `log_dir`: where each call's log goes.
  RuntimeClient(std::string binary, std::string state_root, std::string log_dir);

  const std::string& binary() const { return binary_; }
  const std::string& state_root() const { return state_root_; }

  // `create --bundle B [--pid-file F] [--preserve-fds N] ID`: stdio become the container's; the
  // fds in `preserve` are passed as 3.. .
  Status create(const std::string& id, const std::string& bundle, const Stdio& stdio,
                const std::vector<int>& preserve = {});
  Status start(const std::string& id);
  // `run --bundle B [--keep] ID` in the foreground, left running: its exit status is the
  // container process's (128+N for a signal). With `keep` the stopped container stays (its
  // cgroup can be read) until remove().
  // With `pid_file`, the init's pid is written there (atomically) once it is created.
  Result<Child> run(const std::string& id, const std::string& bundle, const Stdio& stdio,
                    bool keep = false, const std::string& pid_file = "");
  // The error a finished call logged (its --log file's last error line), "" when none.
  std::string logged_error(const std::string& id, const std::string& verb) const;
  // `exec --process FILE ID` in the foreground, left running.
  Result<Child> exec(const std::string& id, const std::string& process_json, const Stdio& stdio);
  // `exec [FLAGS...] ID ARGS...` in the foreground, left running: the container's own process
  // (its env, cwd and user) running ARGS, as `docker exec` does.
  Result<Child> exec_args(const std::string& id, const std::vector<std::string>& flags,
                          const std::vector<std::string>& args, const Stdio& stdio);
  // `kill [--all] ID SIGNAL`.
  Status kill(const std::string& id, int signal, bool all);
  // `delete --force ID`.
  Status remove(const std::string& id);
  // `state ID`, parsed.
  Result<nlohmann::json> state(const std::string& id);
  // `spec [--profile P] --bundle DIR`'s config.json (DIR must exist and hold none), parsed: the
  // runtime's own starting point for a container.
  Result<nlohmann::json> spec(const std::string& dir, const std::string& profile);
  // `list --quiet`: the ids under the state root.
  Result<std::vector<std::string>> list();

 private:
  std::vector<std::string> command(const std::string& verb, const std::string& log) const;
  std::string log_path(const std::string& verb, const std::string& id);
  // Runs to completion; an error carries the log's last error message.
  Status run_to_end(const std::vector<std::string>& argv, const std::string& log,
                    const std::string& what, const Stdio& stdio = {},
                    const std::vector<int>& pass = {});

  std::string binary_;
  std::string state_root_;
  std::string log_dir_;
  unsigned calls_ = 0;                            // numbers each call's log file
  std::map<std::string, std::string> last_logs_;  // "<id> <verb>" -> its latest log file
};

// The last `"level":"error"` message of a burrow --log-format json file ("" when none).
std::string last_logged_error(const std::string& log_text);

}  // namespace burrow::shim::runtime
