// exec --cgroup (runc 1.1): "[<controller>[,<controller>...]:]<path>", a cgroup below the
// container's own for the exec'd process. Given once without a controller, the path applies in
// every hierarchy (on cgroup v2 the only form); with controllers, in the hierarchy of each.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "cgroups/layout.hpp"

namespace burrow::cgroups {

struct SubCgroupArg {
  std::string arg;   // as given, for messages: "memory:sub"
  std::string path;  // "sub"
};

struct SubCgroups {
  std::optional<SubCgroupArg> everywhere;             // given without a controller
  std::map<std::string, SubCgroupArg> by_controller;  // "memory" -> {"memory,cpu:sub", "sub"}
};

// runc's rules and words: "invalid --cgroup argument: a:b:c", and "invalid --cgroup argument: a
// (missing <controller>: prefix)" for a path without a controller that is not the only one.
Result<SubCgroups> parse_sub_cgroups(const std::vector<std::string>& args);

// The exec'd process's cgroup dirs (hierarchy mount point -> dir) from the container's: the path
// joined below each dir it applies to, lexically ("/sub" is "sub", as runc's path.Join reads it);
// the other hierarchies keep the container's dir. Errors name the argument: a path that leads
// out of the container's cgroup ("../x is not a sub cgroup path"), a controller no hierarchy of
// the container's has, a sub-cgroup that `is_dir` does not find.
Result<std::map<std::string, std::string>> resolve_sub_cgroups(
    const SubCgroups& request, const Layout& layout,
    const std::map<std::string, std::string>& container_dirs,
    const std::function<bool(const std::string&)>& is_dir);

}  // namespace burrow::cgroups
