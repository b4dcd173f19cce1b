// The `linux.seccomp` part of `burrow features` (runtime-spec features-linux.md), probed from
// this libseccomp and this kernel rather than assumed. The features command itself is not
// written yet; it will embed this object.
#pragma once

#include <nlohmann/json.hpp>

namespace burrow::seccomp {

// {"enabled": true, "actions": [...], "operators": [...], "archs": [...], "knownFlags": [...],
//  "supportedFlags": [...]}: actions the kernel offers, every operator, the architectures
// libseccomp can add, and the filter flags the kernel accepts.
nlohmann::json features();

// Whether this kernel accepts SECCOMP_FILTER_FLAG_`flag` (probed; installs nothing).
bool kernel_takes_flag(unsigned flag);

}  // namespace burrow::seccomp
