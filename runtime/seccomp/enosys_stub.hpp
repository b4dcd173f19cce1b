// runc's -ENOSYS stub (libcontainer/seccomp/patchbpf): a syscall numbered above every syscall a
// profile names, on an architecture the filter covers, fails with ENOSYS instead of meeting the
// default action. A profile cannot have decided about a syscall newer than itself, and libc
// falls back from a new syscall to an old one only on ENOSYS (clone3 -> clone, fchmodat2 ->
// fchmodat, ...): with EPERM the fallback never happens. Internal to seccomp/.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace burrow::seccomp {

// The largest syscall number the profile names, per libseccomp architecture token; nullopt for
// an architecture in the filter on which the profile names none.
using LastSyscalls = std::map<uint32_t, std::optional<uint32_t>>;

// BPF to run before libseccomp's program: returns ERRNO(ENOSYS) for numbers above the last
// syscall of the caller's architecture, else falls through to the instruction after it.
std::vector<struct sock_filter> enosys_stub(const LastSyscalls& last);

}  // namespace burrow::seccomp
