// Facts about the test run: which runtime is under test, whether we are root, where the shared
// rootfs lives, and the host's own namespaces to compare against.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace integration {

// BURROW_TEST_RUNTIME when set (e.g. /usr/sbin/runc), else the build's burrow.
const std::string& runtime_path();
// Exact error texts are asserted only for burrow; other runtimes are checked for exit codes and
// leftovers.
bool runtime_is_burrow();
bool running_as_root();
// The static probe of this build (copied to /probe in the rootfs).
const std::string& probe_path();

// The busybox + /probe rootfs, built once per test run by scripts/make-rootfs and shared by all
// tests (read-only for them). Empty with `why_not` set when it cannot be built.
const std::string& shared_rootfs(std::string* why_not);

// Inode of /proc/self/ns/<name> of the test process (the host's namespaces).
std::optional<uint64_t> host_namespace_inode(const std::string& name);
std::optional<uint64_t> inode_of(const std::string& path);

}  // namespace integration
