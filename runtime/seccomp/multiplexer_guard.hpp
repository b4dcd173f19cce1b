// Argument conditions that libseccomp would drop on a multiplexer. On i386 (and the other
// architectures with socketcall(2) and ipc(2)), libseccomp compiles a rule for a socket or SysV
// IPC call twice: for the direct syscall with the rule's argument conditions, and for the
// multiplexer's operation (socketcall(SYS_SOCKET, args), ipc(SHMGET, ...)) without them, since
// those arguments sit in memory that seccomp cannot read. So `socket` allowed for every family but
// AF_VSOCK also allows socketcall(SYS_SOCKET) with AF_VSOCK. libseccomp offers no way to refuse
// that operation once such a rule exists (a rule for it conflicts with the one it made), so
// burrow puts this guard in front of libseccomp's program: the operation of a call that the
// profile allows only under argument conditions gets the default action, unless a rule naming
// the multiplexer itself (e.g. `socketcall` allowed outright, as in Docker's profile) covers that
// operation. Internal to seccomp/.
#pragma once

#include <linux/filter.h>
#include <seccomp.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace burrow::seccomp {

struct MultiplexedRules {
  // Calls that an ALLOW or LOG rule permits only under argument conditions, and no rule permits
  // without conditions.
  std::set<std::string> conditional_allows;
  // "socketcall" and "ipc": the conditions of each libseccomp rule naming them (ANDed; empty
  // when the rule has none), for rules that reached libseccomp (an action other than the
  // default's).
  std::map<std::string, std::vector<std::vector<scmp_arg_cmp>>> multiplexer_rules;
};

// BPF to run before libseccomp's program: on each architecture in `arch_tokens` that has the
// multiplexer, the guarded operations return `default_action`; everything else falls through to
// the instruction after it. Empty when nothing needs guarding.
std::vector<struct sock_filter> multiplexer_guard(const MultiplexedRules& rules,
                                                  const std::vector<uint32_t>& arch_tokens,
                                                  uint32_t default_action);

// Whether a libseccomp rule with these conditions can match the multiplexer operation `op`
// (its first argument); conditions on other arguments are taken as met.
bool covers_operation(const std::vector<scmp_arg_cmp>& conditions, uint32_t op);

}  // namespace burrow::seccomp
