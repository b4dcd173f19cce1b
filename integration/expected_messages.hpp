// Every error text the integration tests expect from burrow, in one table, so the tests and
// burrow's messages can be aligned in one place. Config errors read
// `config.json: <json path>: <reason>`; lifecycle errors keep runc's phrases, which runc prints
// too (`runc_says_too`: checked against any runtime under test). The other texts are checked
// only when burrow is under test; other runtimes are held to the exit code and no leftovers.
// Texts are substrings of stderr (logrus lines decoded) or of the --log file; "{id}" stands for
// what the test passes (the container id, or the bundle dir).
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
    {"not_paused", "container not paused", true},
    {"does_not_exist", "container does not exist", true},
    {"id_exists", "container with given ID already exists", true},
    {"delete_running", "cannot delete container {id} that is not stopped: running", true},
    {"invalid_id", "invalid container ID format", true},
    // config.json: reading and JSON types
    {"config_missing", "JSON specification file config.json not found in "},
    {"config_not_json", "config.json: invalid JSON: parse error at line 1, column 16: "},
    {"config_not_object", "config.json: expected object, got array"},
    {"oci_version_not_string", "config.json: ociVersion: expected string, got 5"},
    {"args_not_array", "config.json: process.args: expected array, got string"},
    {"uid_negative", "config.json: process.user.uid: expected unsigned 32-bit integer, got -1"},
    {"gid_string", "config.json: process.user.additionalGids[0]: expected unsigned 32-bit integer, got string"},
    {"memory_limit_string", "config.json: linux.resources.memory.limit: expected signed 64-bit integer, got string"},
    {"pids_limit_string", "config.json: linux.resources.pids.limit: expected signed 64-bit integer, got string"},
    // config.json: validation
    {"process_missing", "config.json: process: process property must not be empty"},
    {"args_empty", "config.json: process.args: args must not be empty"},
    {"root_missing", "config.json: root.path: root must be specified"},
    {"cwd_relative", "config.json: process.cwd: Cwd must be an absolute path"},
    {"rlimit_unknown", "config.json: process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\""},
    {"rlimit_duplicate", "config.json: process.rlimits[1].type: duplicate rlimit \"RLIMIT_NOFILE\""},
    {"rlimit_soft_above_hard", "config.json: process.rlimits[0]: soft limit 2048 is greater than hard limit 1024"},
    {"cap_unknown_bounding", "config.json: process.capabilities.bounding[0]: unknown capability \"CAP_FOO\""},
    {"cap_unknown_ambient", "config.json: process.capabilities.ambient[0]: unknown capability \"CAP_FOO\""},
    {"oom_out_of_range", "config.json: process.oomScoreAdj: 5000 is out of range [-1000, 1000]"},
    {"ns_unknown", "config.json: linux.namespaces[5].type: namespace \"foo\" does not exist"},
    {"ns_duplicate", "config.json: linux.namespaces[5]: malformed spec file: duplicated ns \"pid\""},
    {"mount_relative", "config.json: mounts[7].destination: \"relative/dir\" is not an absolute path"},
    {"uidmap_without_userns", "config.json: linux.uidMappings: user namespace mappings specified, but user namespace isn't enabled in the config"},
    {"userns_without_maps", "config.json: linux.namespaces: user namespaces enabled, but no namespace path to join nor mappings to apply specified"},
    {"sysctl_not_namespaced", "config.json: linux.sysctl: sysctl \"kernel.panic\" is not in a separate kernel namespace"},
    {"sysctl_host_netns", "config.json: linux.sysctl: sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace"},
    {"hostname_without_uts", "config.json: hostname: unable to set hostname without a private UTS namespace"},
    {"time_offsets_without_timens", "config.json: linux.timeOffsets: time namespace offsets specified, but time namespace isn't enabled in the config"},
    {"time_offsets_unknown_clock", "config.json: linux.timeOffsets.realtime: unknown clock \"realtime\" (monotonic or boottime)"},
    {"device_bad_type", "config.json: linux.devices[0].type: invalid device type \"x\""},
    {"device_relative", "config.json: linux.devices[0].path: \"dev/x\" is not an absolute path"},
    {"seccomp_bad_action", "config.json: linux.seccomp.defaultAction: unknown action \"SCMP_ACT_FROB\""},
    {"seccomp_bad_arch", "config.json: linux.seccomp.architectures[0]: unknown architecture \"SCMP_ARCH_FROB\""},
    {"seccomp_bad_rule_action", "config.json: linux.seccomp.syscalls[1].action: unknown action \"SCMP_ACT_FOO\""},
    {"seccomp_bad_operator", "config.json: linux.seccomp.syscalls[0].args[0].op: unknown operator \"SCMP_CMP_FOO\""},
    {"seccomp_notify_without_listener", "config.json: linux.seccomp.listenerPath: seccomp listenerPath is not set"},
    {"seccomp_notify_on_write", "SCMP_ACT_NOTIFY cannot be used for the write syscall", true},
    {"seccomp_agent_missing", "failed to connect with seccomp agent specified in the seccomp profile", true},
    // LSM labels on a host without that LSM (create's host check)
    {"apparmor_not_enabled", "config.json: process.apparmorProfile: AppArmor is not enabled on this host"},
    {"selinux_label_not_enabled", "config.json: process.selinuxLabel: SELinux is not enabled on this host"},
    {"mount_label_not_enabled", "config.json: linux.mountLabel: SELinux is not enabled on this host"},
    {"mount_ns_required", "config.json: linux.namespaces: a mount namespace is required: without one the container's mounts would be made in the host's mount namespace, change the propagation of the host's / and outlive the container"},
    {"unified_on_v1", "config.json: linux.resources.unified: invalid configuration: cannot use unified on cgroup v1"},
    {"mempolicy_bad_mode", "config.json: linux.memoryPolicy.mode: invalid memory policy mode \"MPOL_FOO\""},
    {"mempolicy_bad_nodes", "config.json: linux.memoryPolicy.nodes: invalid memory policy nodes \"0-\": \"\" is not a node number"},
    {"mempolicy_no_nodes", "config.json: linux.memoryPolicy: MPOL_BIND: the mode needs at least one node"},
    {"mempolicy_bad_flag", "config.json: linux.memoryPolicy.flags[0]: invalid memory policy flag \"MPOL_F_FOO\""},
    {"propagation_bad", "config.json: linux.rootfsPropagation: rootfsPropagation=sideways is not supported"},
    {"terminal_without_socket", "cannot allocate tty if runc will detach without setting console socket", true},
    // creating the container: the failing step and the system's reason
    {"root_path_missing", "/nonexistent-root: No such file or directory"},
    {"root_path_file", "config.json: root.path: invalid rootfs: /etc/passwd is not a directory"},
    {"ns_path_missing", "/nonexistent/ns: No such file or directory"},
    {"ns_path_not_ns", "config.json: linux.namespaces[1]: network namespace /etc/passwd: not a namespace file: Invalid argument"},
    {"mount_unknown_type", "No such device"},
    {"mount_missing_source", "container init: bind mount /nonexistent/src on /mnt: stat source: No such file or directory"},
    {"mount_bad_option", "Invalid argument"},
    {"sysctl_unknown_key", "container init: write sysctl net.ipv4.no_such_key=1: No such file or directory"},
    {"mempolicy_missing_node", "container init: linux.memoryPolicy: set_mempolicy MPOL_BIND on nodes 63: Invalid argument"},
    {"realtime_without_runtime_SCHED_FIFO", "container init: sched_setattr SCHED_FIFO: Operation not permitted: the container's cgroup {id} has cpu.rt_runtime_us 0, no realtime CPU time (set linux.resources.cpu.realtimeRuntime)"},
    {"realtime_without_runtime_SCHED_RR", "container init: sched_setattr SCHED_RR: Operation not permitted: the container's cgroup {id} has cpu.rt_runtime_us 0, no realtime CPU time (set linux.resources.cpu.realtimeRuntime)"},
    {"cgroup_frozen", "container's cgroup unexpectedly frozen", true},
    {"args_nonexistent", "container init: exec: \"/nonexistent\": stat /nonexistent: no such file or directory"},
    {"args_not_executable", "container init: exec: \"/etc/passwd\": permission denied"},
    {"tty_detach_no_socket", "cannot allocate tty if runc will detach without setting console socket", true},
    {"console_socket_no_tty", "cannot use console socket if runc will not detach or allocate tty", true},
    {"hook_missing", "error running prestart hook #0: fork/exec /nonexistent/hook: no such file or directory"},
    {"hook_relative", "config.json: hooks.poststop[0].path: \"bin/true\" is not an absolute path"},
    {"hook_zero_timeout", "config.json: hooks.createRuntime[0].timeout: 0 is not greater than zero"},
    // a hostile rootfs or mount list (integration/security): the field or path, and the reason
    {"mount_not_proc_on_proc", "config.json: mounts[7].destination: \"/proc\" may hold only a proc filesystem, not type \"tmpfs\""},
    {"mount_inside_proc", "config.json: mounts[7].destination: \"/proc/sys\" is inside /proc, where only lxcfs's files (/proc/cpuinfo, /proc/meminfo, ...) may be mounted"},
    {"mount_bind_not_procfs_on_proc", "container init: mounts[7].destination: only procfs may be bound on /proc, and this source is not procfs"},
    {"mount_resolves_into_proc", "container init: mounts[7].destination: /mnt/sys resolves to /proc/sys in the rootfs, inside /proc, where only lxcfs's files may be mounted"},
    {"mount_dev_symlink", "container init: mounts[1].destination: mount tmpfs on /dev: the destination is a symlink in the rootfs; refusing"},
    {"sysctl_proc_not_procfs", "container init: write sysctl net.ipv4.ip_forward=1: /proc is not a procfs mount"},
    {"mask_dev_null_symlink", "container init: masked path /secret: /dev/null is a symlink, not the 1:3 character device; refusing to mask with it"},
    {"mask_dev_null_file", "container init: masked path /secret: /dev/null is a regular file, not the 1:3 character device; refusing to mask with it"},
    {"mask_dev_null_missing", "container init: masked path /secret: open /dev/null: No such file or directory"},
    {"console_symlink", "container init: process.terminal: /dev/console is a symlink in the rootfs; refusing to bind the console there"},
    // the command line
    {"wrong_arg_count", "requires exactly 1 argument(s)", true},
    {"too_many_args", "requires a maximum of 2 argument(s)", true},
    {"unknown_command", "unknown command \"frobnicate\" (see burrow --help)"},
    {"unknown_option", "flag provided but not defined: -frob", true},
    {"bundle_missing", "/nonexistent: No such file or directory"},
    {"unknown_signal", "unknown signal \"SIGFOO\""},
    {"bad_log_format", "invalid log-format: bogus", true},
    {"spec_exists", "config.json exists"},
    {"spec_bundle_missing", "chdir /nonexistent: No such file or directory"},
    // exec (runc's wording; runc prefixes "exec failed: " too)
    {"userns_auto_with_maps", "config.json: annotation run.burrow.userns=auto: linux.uidMappings is set too: give one or the other"},
    {"userns_bad_value", "config.json: annotation run.burrow.userns: invalid value \"yes\": want auto"},
    {"userns_unknown_key", "config.json: annotation run.burrow.userns.size: unknown (known: run.burrow.userns)"},
    {"userns_bad_pool", "config.json: annotation run.burrow.userns=auto: --userns-pool 5: want START:SIZE (e.g. 1879048192:268435456)"},
    {"userns_pool_at_zero", "config.json: annotation run.burrow.userns=auto: --userns-pool 0:65536: a pool may not start at id 0 (host root)"},
    {"delegate_to_host_root", "annotation run.burrow.cgroup.delegate=true: the user namespace maps container uid 0 to host uid 0: that is the host's root, which owns the cgroup limits"},
    {"delegate_without_userns", "annotation run.burrow.cgroup.delegate=true: needs a user namespace (linux.namespaces has none): without one the container's root is the host's root and could raise its own limits"},
    {"exec_stopped", "exec failed: cannot exec in a stopped container", true},
    {"exec_paused", "exec failed: cannot exec in a paused container (use --ignore-paused to override)", true},
    {"exec_not_found", "exec failed: unable to start container process: exec: \"nope\": executable file not found in $PATH", true},
    {"exec_no_args", "exec failed: process args cannot be empty", true},
    {"exec_cwd_relative", "exec failed: process.cwd: Cwd must be an absolute path"},
    {"exec_tty_detach_no_socket", "exec failed: cannot allocate tty if runc will detach without setting console socket"},
    {"exec_apparmor_not_enabled", "exec failed: process.apparmorProfile: AppArmor is not enabled on this host"},
    {"exec_realtime_without_runtime", "exec failed: unable to start container process: sched_setattr SCHED_FIFO: Operation not permitted: the container's cgroup {id} has cpu.rt_runtime_us 0, no realtime CPU time (set linux.resources.cpu.realtimeRuntime)"},
    {"exec_cgroup_missing", "exec failed: --cgroup memory:nope: {id}: no such sub-cgroup of the container's cgroup"},
    {"exec_cgroup_unknown_controller", "exec failed: --cgroup frob:sub: the container has no cgroup in a hierarchy with the frob controller"},
    {"exec_cgroup_malformed", "exec failed: invalid --cgroup argument: a:b:c", true},
    {"exec_cgroup_without_controller", "exec failed: invalid --cgroup argument: one (missing <controller>: prefix)", true},
    {"exec_process_file_field", "exec failed: process.json: user.uid: expected unsigned 32-bit integer, got string"},
    // burrow-bench (integration/bench): its own command line
    {"bench_no_out", "burrow-bench: run needs --out DIR"},
    {"bench_unknown_suite", "burrow-bench: unknown suite 'nope' (lifecycle, density, scorecard)"},
    {"bench_relative_runtime", "burrow-bench: runtime 'x=bin/true': the path must be absolute"},
    {"bench_missing_runtime", "burrow-bench: runtime 'x=/nonexistent/runc': /nonexistent/runc: No such file or directory"},
    {"bench_runtime_twice", "burrow-bench: runtime 'runc' is named twice"},
    {"bench_no_such_user", "burrow-bench: --rootless-user no-such-user-here: no such user"},
    {"bench_compare_args", "burrow-bench: compare needs two results.json files: OLD NEW"},
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
