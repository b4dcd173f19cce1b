// Which cgroup hierarchies the host has (from mountinfo) and where the container's cgroup goes in
// each of them (runc's cgroupfs driver semantics for linux.cgroupsPath).
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"
#include "cgroups/context.hpp"

namespace burrow::cgroups {

enum class Mode {
  legacy,   // v1 hierarchies only
  hybrid,   // v1 hierarchies plus a cgroup2 (usually <root>/unified) without controllers
  unified,  // one cgroup2 at <root>
};

struct Hierarchy {
  std::string mount_point;  // "/sys/fs/cgroup/memory"
  std::string mount_root;   // mountinfo field 4: "/" unless mounted inside a cgroup namespace
  // v1: "cpu", "cpuacct", "name=systemd", ... from the super options; cgroup2: empty.
  std::vector<std::string> controllers;
  bool unified = false;    // cgroup2
  std::string own_cgroup;  // this process's cgroup in it, from /proc/self/cgroup ("/" if absent)

  bool has(const std::string& controller) const;
  // Key naming the hierarchy in messages: "memory", "cpu,cpuacct", "name=systemd", "unified".
  std::string name() const;
};

struct Layout {
  Mode mode = Mode::unified;
  std::vector<Hierarchy> hierarchies;  // mountinfo order, one per distinct hierarchy

  const Hierarchy* unified() const;
  const Hierarchy* find(const std::string& controller) const;  // v1 controller
  const Hierarchy* find_mount(const std::string& mount_point) const;
};

// Error when no cgroup hierarchy is mounted under ctx.root.
Result<Layout> detect_layout(const CgroupsContext& ctx);

// runc's CleanPath: lexical clean; a relative path stays relative but ".." cannot climb out
// ("../../a" -> "a", ".." -> "."); "" stays "".
std::string clean_path(const std::string& path);

// The container's path inside every hierarchy: clean_path(cgroups_path), or the container id
// (relative) when cgroups_path is empty, as runc's cgroupfs driver does. Refuses paths that name
// the hierarchy root or the caller's own cgroup ("/", ".", "..").
Result<std::string> container_inner_path(const std::string& cgroups_path, const std::string& id);

// Absolute dir of `inner` in `h`: absolute inner paths start at the hierarchy's mount point,
// relative ones at this process's own cgroup in it.
Result<std::string> cgroup_dir(const Hierarchy& h, const std::string& inner);

// The dir in `h` of the cgroup a process is in, from its /proc/<pid>/cgroup text; ENOENT when
// the text lists none for `h` or that cgroup is not visible under h's mount.
Result<std::string> process_cgroup_dir(const Hierarchy& h, const std::string& proc_cgroup);

// Is `dir` the path `ancestor` or below it (lexically, both clean)?
bool is_same_or_below(const std::string& dir, const std::string& ancestor);

}  // namespace burrow::cgroups
