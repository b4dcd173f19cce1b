// What a container may leave behind on the host after `delete -f`, a failed create, or a bad
// invocation. Each function returns a description of what is left, empty when clean.
#pragma once

#include <string>
#include <vector>

namespace integration {

// <state_root>/<id> still exists.
std::string leftover_state(const std::string& state_root, const std::string& id);
// Mount points in our /proc/self/mountinfo at or under any of `dirs`.
std::vector<std::string> mounts_under(const std::vector<std::string>& dirs);
// Live host processes whose environment holds BURROW_TEST_ID=<marker>.
std::vector<int> processes_with_marker(const std::string& marker);
// Directories named `id` in any cgroup hierarchy under /sys/fs/cgroup (a few levels deep).
std::vector<std::string> cgroups_named(const std::string& id);

// All of the above, waiting up to a few seconds for killed processes and cgroups to go away.
std::string describe_leftovers(const std::string& state_root, const std::string& id,
                               const std::vector<std::string>& dirs);

// Lazily unmounts everything at or under `dirs` (deepest first), so the dirs can be removed
// without reaching through a bind mount into the host.
void detach_mounts_under(const std::vector<std::string>& dirs);

}  // namespace integration
