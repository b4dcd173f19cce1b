// A container's status, computed the way runc does: frozen cgroup -> paused; init gone, its pid
// recycled, or a zombie -> stopped; exec fifo still there -> created; else running.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "base/error.hpp"
#include "state/container_state.hpp"

namespace burrow::state {

enum class ContainerStatus { creating, created, running, paused, stopped };

// "creating", "created", ... as runc prints them.
const char* status_name(ContainerStatus status);

struct ProcStat {
  char state = '?';         // field 3: R, S, D, Z, X, ...
  uint64_t start_time = 0;  // field 22, clock ticks since boot
};

// Parses /proc/<pid>/stat text (the comm field may hold spaces and parentheses).
Result<ProcStat> parse_proc_stat(const std::string& text);
// ENOENT (code) when the process does not exist.
Result<ProcStat> read_proc_stat(pid_t pid);
Result<uint64_t> process_start_time(pid_t pid);

// Is the container's cgroup frozen? Reads freezer.state (v1, "FROZEN") and cgroup.freeze
// (unified, "1") in the saved cgroup dirs; a missing dir or file counts as not frozen.
Result<bool> cgroup_frozen(const std::map<std::string, std::string>& cgroup_paths);

// The decision itself, with every input already read. `init` is empty when the process is gone.
ContainerStatus decide_status(bool frozen, pid_t init_pid, uint64_t init_start_time,
                              const std::optional<ProcStat>& init, bool exec_fifo_exists);

// Reads the inputs of decide_status for `state`; `exec_fifo` is StateStore::exec_fifo_path.
Result<ContainerStatus> container_status(const ContainerState& state, const std::string& exec_fifo);

}  // namespace burrow::state
