// linux.seccomp.listenerPath: hands the notification fd to a seccomp agent. One connection per
// container process, one containerProcessState JSON with the fd (SCM_RIGHTS) on it, then close,
// as runtime-spec config-linux.md ("The Container Process State") prescribes.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "base/error.hpp"

namespace burrow::seccomp {

struct ListenerState {
  std::string id;
  std::string bundle;
  pid_t pid = 0;  // the container process, as the runtime sees it
  // The state's pid and status: the container init's ("creating" at create: `pid` itself; an
  // exec'd process's container is "running" or "created").
  pid_t init_pid = 0;  // 0: `pid`
  std::string status = "creating";
  std::map<std::string, std::string> annotations;
  std::string metadata;  // linux.seccomp.listenerMetadata
};

// {"ociVersion", "fds": ["seccompFd"], "pid", "metadata", "state": {..., "status", "pid"}}
nlohmann::json container_process_state(const ListenerState& state);

// Connects to the AF_UNIX SOCK_STREAM socket at `listener_path` and sends the state with
// `seccomp_fd`. Errors use runc's wording.
Status send_to_listener(const std::string& listener_path, const ListenerState& state,
                        int seccomp_fd);

}  // namespace burrow::seccomp
