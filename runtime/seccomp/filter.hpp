// linux.seccomp of config.json -> a BPF program. Compiled with libseccomp in the `burrow create`
// parent, before clone3; the init is a clone of the parent's memory, so it loads the program with
// seccomp(2) directly (DESIGN.md, "Process model"), at runc's points: before the user switch
// without noNewPrivileges, right before execve with it.
#pragma once

#include <linux/filter.h>

#include <optional>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "spec/model.hpp"

namespace burrow::seccomp {

struct Filter {
  std::vector<struct sock_filter> program;
  unsigned flags = 0;     // SECCOMP_FILTER_FLAG_* for seccomp(2), NEW_LISTENER included
  bool listener = false;  // an SCMP_ACT_NOTIFY rule: loading yields the notification fd
};

// Checks `config` and compiles it for this machine. Errors name the JSON path:
// "linux.seccomp.syscalls[3].action: unknown action \"SCMP_ACT_FOO\"". Syscall names unknown to
// libseccomp are skipped with a debug log (as runc does). nullopt when there is nothing to load:
// no defaultAction and no syscalls (runc takes that as seccomp disabled).
Result<std::optional<Filter>> compile(const spec::Seccomp& config);

// Installs `filter` on the calling thread. Without no_new_privs this needs CAP_SYS_ADMIN in the
// caller's user namespace. Returns the notification listener (close-on-exec) when
// filter.listener, else an empty Fd.
Result<Fd> load(const Filter& filter);

}  // namespace burrow::seccomp
