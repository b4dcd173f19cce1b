// Namespace kinds: their clone flags and /proc/<pid>/ns names, and joining one by path.
#pragma once

#include <map>
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

// "monotonic 5 0\nboottime 0 100\n": the /proc/<pid>/timens_offsets text for these offsets.
std::string timens_offsets_text(const std::map<std::string, spec::TimeOffset>& offsets);
// Makes a time namespace, writes its clock offsets while no process is in it yet, and enters it.
// A process in a user namespace needs to be dumpable to write its own timens_offsets (else the
// file belongs to the host's root): `dumpable_window` makes it so for that write only.
Status enter_new_time_namespace(const std::map<std::string, spec::TimeOffset>& offsets,
                                bool dumpable_window);

}  // namespace burrow::linux
