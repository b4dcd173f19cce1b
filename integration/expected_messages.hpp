// Every error text the integration tests expect from burrow, in one table, so the tests and
// burrow's messages can be aligned in one place. Config errors read
// `config.json: <json path>: <reason>`; lifecycle errors keep runc's phrases, which runc prints
// too (`runc_says_too`: checked against any runtime under test). The other texts are checked
// only when burrow is under test; other runtimes are held to the exit code and no leftovers.
// Texts are substrings of stderr (or of the --log file).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace integration {

struct ExpectedMessage {
  std::string_view key;
  std::string_view burrow_text;
  bool runc_says_too = false;
};

// clang-format off
inline constexpr ExpectedMessage kExpectedMessages[] = {
    // lifecycle (runc's wording)
    {"not_running", "container not running", true},
    {"does_not_exist", "container does not exist", true},
    {"id_exists", "container with id exists: "},  // + id; runc 1.1: "container with given ID already exists"
    {"delete_running", "cannot delete container that is not stopped"},
    {"invalid_id", "invalid container ID format", true},
    // config.json: reading and JSON types
    {"config_missing", "config.json: No such file or directory"},
    {"config_not_json", "config.json: parse error"},
    {"config_not_object", "config.json: expected an object"},
    {"oci_version_not_string", "config.json: ociVersion: expected a string"},
    {"args_not_array", "config.json: process.args: expected an array"},
    {"uid_negative", "config.json: process.user.uid: expected an unsigned 32-bit integer"},
    {"gid_string", "config.json: process.user.additionalGids[0]: expected an unsigned 32-bit integer"},
    {"memory_limit_string", "config.json: linux.resources.memory.limit: expected an integer"},
    {"pids_limit_string", "config.json: linux.resources.pids.limit: expected an integer"},
    // config.json: validation
    {"process_missing", "config.json: process: required"},
    {"args_empty", "config.json: process.args: must not be empty"},
    {"root_missing", "config.json: root: required"},
    {"cwd_relative", "config.json: process.cwd: must be an absolute path"},
    {"rlimit_unknown", "config.json: process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\""},
    {"rlimit_duplicate", "config.json: process.rlimits[1].type: duplicate rlimit \"RLIMIT_NOFILE\""},
    {"rlimit_soft_above_hard", "config.json: process.rlimits[0]: soft limit above hard limit"},
    {"cap_unknown_bounding", "config.json: process.capabilities.bounding[0]: unknown capability \"CAP_FOO\""},
    {"cap_unknown_ambient", "config.json: process.capabilities.ambient[0]: unknown capability \"CAP_FOO\""},
    {"oom_out_of_range", "config.json: process.oomScoreAdj: must be between -1000 and 1000"},
    {"ns_unknown", "config.json: linux.namespaces[5].type: unknown namespace type \"foo\""},
    {"ns_duplicate", "config.json: linux.namespaces[5]: duplicate namespace \"pid\""},
    {"mount_relative", "config.json: mounts[7].destination: must be an absolute path"},
    {"uidmap_without_userns", "config.json: linux.uidMappings: set without a user namespace"},
    {"userns_without_maps", "config.json: linux.uidMappings: required with a user namespace"},
    {"sysctl_not_namespaced", "config.json: linux.sysctl.kernel.panic: not a namespaced sysctl"},
    {"sysctl_host_netns", "config.json: linux.sysctl.net.ipv4.ip_forward: needs a network namespace"},
    {"hostname_without_uts", "config.json: hostname: needs a uts namespace"},
    {"device_bad_type", "config.json: linux.devices[0].type: unknown device type \"x\""},
    {"device_relative", "config.json: linux.devices[0].path: must be an absolute path"},
    {"seccomp_bad_action", "config.json: linux.seccomp.defaultAction: unknown action \"SCMP_ACT_FROB\""},
    {"seccomp_bad_arch", "config.json: linux.seccomp.architectures[0]: unknown architecture \"SCMP_ARCH_FROB\""},
    {"propagation_bad", "config.json: linux.rootfsPropagation: unknown propagation \"sideways\""},
    {"terminal_without_socket", "process.terminal needs --console-socket"},
    // creating the container: the failing step and the system's reason
    {"root_path_missing", "/nonexistent-root: No such file or directory"},
    {"root_path_file", "/etc/passwd: Not a directory"},
    {"ns_path_missing", "/nonexistent/ns: No such file or directory"},
    {"ns_path_not_ns", "/etc/passwd: Invalid argument"},
    {"mount_unknown_type", "No such device"},
    {"mount_missing_source", "/nonexistent/src: No such file or directory"},
    {"mount_bad_option", "Invalid argument"},
    {"sysctl_unknown_key", "net/ipv4/no_such_key: No such file or directory"},
    {"args_nonexistent", "/nonexistent: No such file or directory"},
    {"args_not_executable", "/etc/passwd: Permission denied"},
    {"hook_missing", "/nonexistent/hook: No such file or directory"},
    // the command line
    {"wrong_arg_count", "requires exactly 1 argument(s)", true},
    {"too_many_args", "requires a maximum of 2 argument(s)", true},
    {"unknown_command", "unknown command \"frobnicate\""},
    {"unknown_option", "flag provided but not defined: -frob", true},
    {"bundle_missing", "/nonexistent: No such file or directory"},
    {"unknown_signal", "unknown signal \"SIGFOO\""},
    {"bad_log_format", "invalid log-format: bogus", true},
    {"spec_exists", "config.json exists"},
};
// clang-format on

// The entry for `key`; a test naming a missing key fails loudly rather than matching "".
inline const ExpectedMessage& expected_message(std::string_view key) {
  for (const auto& message : kExpectedMessages) {
    if (message.key == key) return message;
  }
  throw std::out_of_range("no expected message named " + std::string(key));
}

}  // namespace integration
