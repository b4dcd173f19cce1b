// The container's session keyring: a fresh one per container so it does not share the host's
// (or its caller's) keys — runc's default, turned off by `--no-new-keyring`.
#pragma once

#include <string>

#include "base/error.hpp"

namespace burrow::linux {

// Joins a new session keyring named `name` ("_ses.<id>") and makes it searchable by its user.
// A kernel without keyrings, or a seccomp filter that blocks keyctl (ENOSYS), is not an error.
Status join_new_session_keyring(const std::string& name);

}  // namespace burrow::linux
