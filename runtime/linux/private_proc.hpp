// The container init's own procfs, for what it still does through /proc after pivot_root
// (reopen the exec fifo for writing, write its LSM exec attributes). It must not be the host's
// /proc (CVE-2016-9962, CVE-2024-21626): while the init waits in the created state, a process
// in the container that may ptrace it (CAP_SYS_PTRACE without a user namespace) opens
// /proc/<init>/fd/N, and from the host's /proc every host process's root is one step away.
#pragma once

#include "base/error.hpp"
#include "base/fd.hpp"

namespace burrow::linux {

// A new procfs instance of the calling process's pid namespace, mounted nowhere (a detached
// mount), nosuid, nodev, noexec, with only the pid directories (subset=pid): through it the
// container reaches no more than through its own /proc (writable, as that one is, because the
// LSM exec attribute is written through it). Call it while the host's /proc
// is still in the mount namespace: in a user namespace the kernel allows a new procfs only
// where a fully visible one is mounted already.
Result<Fd> open_private_procfs();

}  // namespace burrow::linux
