// Per-process attributes of the container process that are neither credentials nor limits:
// no_new_privs, oom_score_adj, umask, personality, I/O priority, scheduler, working directory.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "spec/model.hpp"

namespace burrow::linux {

// prctl(PR_SET_NO_NEW_PRIVS, 1): execve can no longer grant privileges (setuid bits, file caps).
Status set_no_new_privs();

// Writes /proc/self/oom_score_adj (checked to be procfs). Going below the current value needs
// CAP_SYS_RESOURCE; the error then says so.
Status set_oom_score_adj(int score, pid_t pid = 0);  // pid 0: the caller

// umask(mask & 0777).
void set_umask(uint32_t mask);

// personality(2) for domain "LINUX" or "LINUX32". Flags are reserved by the runtime-spec and
// refused when present.
Status set_personality(const spec::Personality& personality);

// "IOPRIO_CLASS_RT" -> 1, "IOPRIO_CLASS_BE" -> 2, "IOPRIO_CLASS_IDLE" -> 3.
std::optional<int> ioprio_class_from_name(std::string_view name);
// ioprio_set(IOPRIO_WHO_PROCESS, self) with the class and priority (0..7) of the spec.
Status set_io_priority(const spec::IoPriority& io_priority);

// "SCHED_OTHER" -> SCHED_OTHER ... "SCHED_DEADLINE" -> SCHED_DEADLINE (the spec's list).
std::optional<uint32_t> sched_policy_from_name(std::string_view name);
// "SCHED_FLAG_RESET_ON_FORK" -> SCHED_FLAG_RESET_ON_FORK ... (the spec's list).
std::optional<uint64_t> sched_flag_from_name(std::string_view name);
// sched_setattr(2) on the calling thread with the spec's policy, nice, priority, flags and the
// deadline parameters (runtime, deadline, period in nanoseconds).
Status set_scheduler(const spec::Scheduler& scheduler);

// chdir(cwd), then refuses a working directory that getcwd cannot name from the current root
// (it lies outside it: a cwd reached through a leaked host fd, CVE-2024-21626).
Status enter_cwd(const std::string& cwd);
// enter_cwd before the user switch (runc): the container's root may enter a directory the
// process user cannot (cwd /root, 0700, for uid 1000). false when the chdir is refused (EACCES,
// EPERM): the caller tries again as the user, for a directory only that user may enter (a volume
// chowned to it on a root-squashed share).
Result<bool> enter_cwd_if_permitted(const std::string& cwd);

// mkdir -p of the cwd, each missing directory 0755 (less the umask) and owned by the caller, the
// container's root (runc makes a missing cwd so, after pivot_root; exec makes none).
Status make_cwd(const std::string& cwd);

}  // namespace burrow::linux
