// The container process's identity: uid, gid and supplementary groups (switch_user), and the
// HOME that runc derives from the container's /etc/passwd (environment_with_home).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "spec/model.hpp"

namespace burrow::linux {

// Becomes user.uid/user.gid with exactly user.additional_gids as supplementary groups.
// PR_SET_KEEPCAPS is on across the switch so the permitted set survives setresuid away from 0
// (apply_capabilities then sets the final sets). `setgroups_allowed` is false in a user namespace
// whose /proc/self/setgroups is "deny": then groups are left alone, and asking for additional
// gids is an error.
Status switch_user(const spec::User& user, bool setgroups_allowed);

// Whether /proc/self/setgroups permits setgroups(2) (true when the file is absent: old kernels,
// or no user namespace in between).
Result<bool> setgroups_allowed();

// The home directory of `uid` in passwd(5) text; nullopt when no line has that uid.
std::optional<std::string> home_from_passwd(const std::string& passwd_text, uint32_t uid);

// `env` with HOME=<home of uid in passwd_path> added when env has no HOME entry; "/" when the
// file is missing or has no such uid (runc's behaviour). The default path is the current root's
// /etc/passwd, i.e. the container's after pivot_root.
std::vector<std::string> environment_with_home(std::vector<std::string> env, uint32_t uid,
                                               const std::string& passwd_path = "/etc/passwd");

}  // namespace burrow::linux
