// OCI hooks: run a hook list in order with the container state on stdin, each with its args,
// env and timeout, and runc's error wording. Used by the runtime (prestart, createRuntime,
// poststart, poststop) and by the container init (createContainer, startContainer), so it forks
// and waits without threads.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "spec/model.hpp"

namespace burrow::process {

// The runtime-spec's state, as hooks get it on stdin.
struct HookState {
  std::string oci_version;
  std::string id;
  std::string status;  // creating, created, running, stopped
  pid_t pid = 0;       // 0: left out
  std::string bundle;
  std::map<std::string, std::string> annotations;
};

std::string hook_state_json(const HookState& state);

// One hook: "" when it exits 0; else why, as runc says it ("error running hook: exit status 2,
// stdout: ..., stderr: ...", "hook ran past specified timeout of 1.0s", "fork/exec /x: no such
// file or directory").
Status run_hook(const spec::Hook& hook, const std::string& state_json);

// Each hook of `kind` ("prestart", ...) in order; the first failure stops the list:
// "error running prestart hook #1: ...".
Status run_hooks(const std::vector<spec::Hook>& hooks, const std::string& kind,
                 const std::string& state_json);

}  // namespace burrow::process
