// What the CLI hands to the lifecycle operations. cli/ fills these from argv; container/ never
// sees argv. Defaults here are runc's.
#pragma once

#include <optional>
#include <string>
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

enum class ListFormat { table, json };

struct ListOptions {
  ListFormat format = ListFormat::table;  // -f/--format
  bool quiet = false;                     // -q: ids only
};

struct SpecOptions {
  std::string bundle;  // --bundle/-b; writes <bundle>/config.json
  bool rootless = false;
};

}  // namespace burrow::container
