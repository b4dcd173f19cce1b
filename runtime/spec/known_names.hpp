// The names config.json may use that burrow recognizes, as lists: what `burrow features`
// reports, and what the validator checks mount options against. One place, so the two agree.
#pragma once

#include <span>
#include <string_view>

namespace burrow::spec {

// Mount options that are flags, propagation, recursive attributes or extensions ("ro", "rbind",
// "rshared", "rro", "idmap", "tmpcopyup", ...). Any other option is filesystem data for mount(2).
std::span<const std::string_view> recognized_mount_options();
bool is_recognized_mount_option(std::string_view option);
// A recognized option burrow also honours: not refused as "not supported yet".
bool is_supported_mount_option(std::string_view option);

// The files inside /proc a bind mount may cover (lxcfs emulates them; the same list as runc's).
// `destination` is a clean absolute path.
bool is_bindable_proc_file(std::string_view destination);

// linux.seccomp is honoured (not refused as "not supported yet").
bool is_seccomp_supported();

// The six hook kinds, as config.json spells them, in the order they run.
std::span<const std::string_view> hook_names();

}  // namespace burrow::spec
