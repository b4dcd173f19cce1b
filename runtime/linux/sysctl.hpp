// linux.sysctl: kernel parameters written under /proc/sys, after making sure /proc is a real
// procfs (a container image could put a plain directory or a symlink there).
#pragma once

#include <map>
#include <string>

#include "base/error.hpp"
#include "base/fd.hpp"

namespace burrow::linux {

// Opens `relative` (e.g. "sys/net/ipv4/ip_forward", "self/oom_score_adj") under /proc, refusing
// a /proc that is not procfs, any symlink, magic link, ".." or mount on the way (openat2 with
// RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV), and a file
// that is not procfs's own (CVE-2025-52881). O_CLOEXEC is added to flags.
Result<Fd> open_proc_file(const std::string& relative, int flags);

// "net.ipv4.ip_forward" -> "sys/net/ipv4/ip_forward" (relative to /proc). A key that already
// uses '/' separators is kept as is, only prefixed.
std::string sysctl_proc_path(const std::string& key);

// Writes each value to its /proc/sys file, opened as open_proc_file does; the first failure
// stops with `write sysctl net.ipv4.ip_forward=1: <strerror>`, or `...: /proc is not a procfs
// mount`, or `...: /proc/sys/net/ipv4/ip_forward: something other than procfs is mounted on the
// way`.
Status apply_sysctls(const std::map<std::string, std::string>& sysctls);

}  // namespace burrow::linux
