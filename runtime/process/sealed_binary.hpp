// CVE-2019-5736: a container must never reach the host's burrow binary. The init and exec
// helpers are clones of the burrow process (no exec), so /proc/<init>/exe would be the host
// binary; a `#!/proc/self/exe` entrypoint could reopen it for writing. burrow therefore runs the
// commands that create container processes from a sealed memfd copy of itself: /proc/self/exe is
// then an anonymous file whose contents can never change.
#pragma once

#include "base/error.hpp"

namespace burrow::process {

// Is /proc/self/exe a memfd sealed against writes?
bool running_from_sealed_copy();

// Unless already running from a sealed copy: copy /proc/self/exe into a memfd, seal it
// (write, grow, shrink, seal) and fexecve it with the same argv/environment. Returns only on
// failure.
Status reexec_from_sealed_copy(char** argv);

}  // namespace burrow::process
