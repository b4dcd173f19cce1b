// What this host's kernel and libseccomp offer for seccomp, for `burrow features`.
#pragma once

#include <string>
#include <vector>

namespace burrow::seccomp {

// Names from known_flags() the running kernel accepts in seccomp(SECCOMP_SET_MODE_FILTER).
std::vector<std::string> kernel_supported_flags();
// The libseccomp burrow runs with, "2.5.4".
std::string libseccomp_version();

}  // namespace burrow::seccomp
