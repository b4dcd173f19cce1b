// A runtime under test: any binary with runc's command line, plus extra global arguments.
// burrow-bench reaches runtimes only through these command lines, as the shim does.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"

namespace burrow::bench {

struct Runtime {
  std::string name;               // the report's label: letters, digits, '-', '_', '.'
  std::string path;               // absolute path of the binary
  std::vector<std::string> args;  // global arguments put before --root
  // Runs in a mount namespace where the cgroup2 mounts below /sys/fs/cgroup are hidden: crun
  // refuses hybrid hosts otherwise. Every runtime runs in a private mount namespace of its own
  // either way, entered (setns) by the forked child before execve, so none pays for a wrapper.
  bool hide_cgroup2 = false;

  // {path, args..., --root, root, subcommand...}
  std::vector<std::string> command(const std::string& root,
                                   const std::vector<std::string>& subcommand) const;
};

// Where the well-known names are found when no path is given.
struct RuntimeDefaults {
  std::string burrow;  // e.g. the burrow built next to burrow-bench
  std::string search_path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  bool hybrid_host = false;  // then crun gets hide_cgroup2
};

// One runtime: "NAME" (burrow; burrow-sandbox, which is burrow --sandbox; runc, crun or any
// binary on the search path) or "NAME=PATH [ARG...]" (arguments split at spaces). Errors name
// the text and the reason.
Result<Runtime> parse_runtime(const std::string& text, const RuntimeDefaults& defaults);

// Every item may hold several runtimes separated by commas; names must be unique.
Result<std::vector<Runtime>> parse_runtimes(const std::vector<std::string>& items,
                                            const RuntimeDefaults& defaults);

}  // namespace burrow::bench
