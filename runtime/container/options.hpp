// What the CLI hands to the lifecycle operations. cli/ fills these from argv; container/ never
// sees argv. Defaults here are runc's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace burrow::container {

enum class RootlessMode { automatic, yes, no };
enum class LogFormat { text, json };

struct GlobalOptions {
  std::string root = "/run/burrow";  // state directory root (rootless: see rootless.hpp)
  std::string log_file;              // --log; empty: stderr
  LogFormat log_format = LogFormat::text;
  bool debug = false;
  bool systemd_cgroup = false;  // refused: no systemd cgroup driver
  RootlessMode rootless = RootlessMode::automatic;
  bool is_rootless = false;  // `rootless` resolved against the euid (container/rootless.hpp)
  // Root of a user namespace that is not the host's (rootless podman runs the runtime so): no
  // cgroup of our own, device nodes bound rather than made, as for rootless.
  bool in_user_namespace = false;
  // --userns-pool START:SIZE: the host ids run.burrow.userns=auto leases from (default: the
  // `burrow` entries of /etc/subuid and /etc/subgid).
  std::string userns_pool;
  // --sandbox, or run as `burrow-sandbox`: every container runs sandboxed (container/sandbox.hpp).
  bool sandbox = false;
};

struct CreateOptions {
  std::string id;
  std::string bundle;  // --bundle/-b; default: current directory (made absolute by the CLI)
  std::string pid_file;
  std::string console_socket;
  bool no_pivot = false;
  bool no_new_keyring = false;
  unsigned preserve_fds = 0;
  // Set by a foreground `run`, which relays a terminal itself when no console socket is given.
  bool foreground = false;
};

struct RunOptions {
  CreateOptions create;
  bool detach = false;  // --detach/-d
  bool keep = false;    // --keep: do not delete the container after it exits (foreground only)
};

struct StartOptions {
  std::string id;
};

struct StateOptions {
  std::string id;
};

struct KillOptions {
  std::string id;
  int signal = 15;   // parsed from name ("KILL", "SIGKILL") or number; default SIGTERM
  bool all = false;  // --all/-a
};

struct DeleteOptions {
  std::string id;
  bool force = false;  // --force/-f
};

// pause and resume.
struct PauseOptions {
  std::string id;
};
struct ResumeOptions {
  std::string id;
};

struct UpdateOptions {
  std::string id;
  std::string resources_path;  // --resources: a linux.resources JSON file, "-" for stdin
  // runc's per-field flags that were given ("memory", "cpu-quota", ...) -> their text.
  std::vector<std::pair<std::string, std::string>> fields;
};

struct EventsOptions {
  std::string id;
  bool stats = false;           // --stats: print one stats event and exit
  unsigned interval_ms = 5000;  // --interval: between stats events
};

enum class ListFormat { table, json };

struct ListOptions {
  ListFormat format = ListFormat::table;  // -f/--format
  bool quiet = false;                     // -q: ids only
};

// exec: a new process in a running (or created) container. Either `process_file` (an OCI process
// JSON) or `args` with the overrides below, applied to the container's own process (runc 1.1).
struct ExecOptions {
  std::string id;
  std::vector<std::string> args;  // the command; empty with --process
  std::string process_file;       // --process/-p (absolute)
  std::string cwd;                // --cwd
  std::vector<std::string> env;   // -e/--env, appended to process.env
  std::optional<uint32_t> uid;    // -u/--user uid[:gid]
  std::optional<uint32_t> gid;
  std::vector<uint32_t> additional_gids;  // -g/--additional-gids, appended
  std::vector<std::string> caps;          // -c/--cap: effective, permitted, bounding
  std::optional<bool> no_new_privs;       // --no-new-privs (only when given)
  bool tty = false;                       // -t/--tty (refused: no terminals yet)
  std::string console_socket;
  bool detach = false;   // -d/--detach
  std::string pid_file;  // absolute
  unsigned preserve_fds = 0;
  std::string apparmor;              // refused: no AppArmor here
  std::string process_label;         // refused: no SELinux here
  std::vector<std::string> cgroups;  // --cgroup [<controller>:]<path>: sub-cgroups to run in
  bool ignore_paused = false;
};

enum class PsFormat { table, json };

// ps: the container's processes; table mode runs the host's ps with `ps_args` (default -ef).
struct PsOptions {
  std::string id;
  PsFormat format = PsFormat::table;
  std::vector<std::string> ps_args;
};

struct FeaturesOptions {};

struct GcOptions {};

struct SpecOptions {
  std::string bundle;  // --bundle/-b; writes <bundle>/config.json
  bool rootless = false;
  std::string profile;  // --profile: profiles/<name>.json laid over the default config
};

}  // namespace burrow::container
