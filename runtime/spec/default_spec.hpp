// The config.json that `burrow spec` writes: the shape of `runc spec`, adjusted for burrow
// (ociVersion 1.2.0, no terminal until terminals are supported, hostname "burrow").
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

namespace burrow::spec {

// rootless: like `runc spec --rootless` — a user namespace mapping `uid`/`gid` (the caller's) to
// root, no network namespace, /sys bind-mounted from the host, no uid=/gid= mount options, no
// cgroup resources. uid and gid are used only when rootless.
nlohmann::json default_config(bool rootless, uint32_t uid, uint32_t gid);

}  // namespace burrow::spec
