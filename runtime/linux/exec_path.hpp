// Resolving the container process's argv[0] the way runc does (Go's exec.LookPath), before the
// init reports Ready: a missing or non-executable program is then a `create` error, worded as
// runc words it, instead of a container that dies at `start`.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace burrow::linux {

// PATH used when the container's environment has none.
inline constexpr const char* kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The value of `name` in "KEY=value" entries (the last one wins, as getenv after putenv would).
std::optional<std::string> find_env(const std::vector<std::string>& env, const std::string& name);

// The mode-bit check used when the kernel cannot answer faccessat(X_OK, AT_EACCESS) (EPERM from a
// seccomp profile that predates faccessat2, ENOSYS from an old kernel): the owner's, group's or
// others' execute bit for the effective ids, any execute bit for root.
bool executable_by_mode(const struct stat& st, uid_t euid, gid_t egid,
                        const std::vector<gid_t>& groups);

// arg0 containing '/' is checked and returned as is; otherwise each PATH directory (from env,
// else kDefaultPath; an empty element means "."; an empty PATH means none) is tried in order. A
// candidate must be a non-directory the current credentials may execute (faccessat X_OK,
// AT_EACCESS, or the mode bits when a seccomp filter or the kernel refuses that call). Errors:
//   exec: "foo": executable file not found in $PATH
//   exec: "/bin/foo": stat /bin/foo: no such file or directory
//   exec: "/bin": is a directory
//   exec: "/bin/foo": permission denied
//   exec: "foo": cannot run executable found relative to current directory
Result<std::string> resolve_executable(const std::string& arg0,
                                       const std::vector<std::string>& env);

}  // namespace burrow::linux
