// Namespace kinds: their clone flags and /proc/<pid>/ns names, and joining one by path.
#pragma once

#include <string>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "spec/model.hpp"

namespace burrow::linux {

int clone_flag(spec::NamespaceType type);
// The name under /proc/<pid>/ns/ ("net" for network, "mnt" for mount, ...).
const char* proc_ns_name(spec::NamespaceType type);

// Opens a namespace file for setns and checks that it is a namespace of the expected kind.
Result<Fd> open_namespace(const std::string& path, spec::NamespaceType type);
// setns(2) with the error naming the namespace kind and the path it came from.
Status join_namespace(int fd, spec::NamespaceType type, const std::string& path);

}  // namespace burrow::linux
