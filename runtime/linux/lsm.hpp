// Linux security modules: the AppArmor profile and SELinux labels config.json asks for
// (process.apparmorProfile, process.selinuxLabel, linux.mountLabel). A label is set for the
// next execve, through the task's /proc attr files, as runc does; a host without the LSM
// refuses the config in create (a profile silently not applied would be a weaker sandbox).
#pragma once

#include <string>

#include "base/error.hpp"
#include "spec/model.hpp"

namespace burrow::linux {

// Which LSMs the host runs. `sys_dir` is "/sys"; tests pass a directory that stands in for it.
struct HostLsms {
  bool apparmor = false;  // <sys>/kernel/security/apparmor exists, module parameter enabled=Y
  bool selinux = false;   // selinuxfs mounted: <sys>/fs/selinux/enforce exists
};
HostLsms detect_host_lsms(const std::string& sys_dir = "/sys");

// The first label `spec` asks for whose LSM `host` lacks, as
// "process.apparmorProfile: AppArmor is not enabled on this host" (the caller adds
// "config.json: ").
Status check_lsm_labels(const spec::Spec& spec, const HostLsms& host);

// What the process's next execve should run under; empty: unchanged.
struct ExecLabels {
  std::string apparmor_profile;
  std::string selinux_label;
};

// Writes the labels into the attr directory of the calling thread, open as `attr_dir_fd`
// (/proc/thread-self/attr): AppArmor's "exec <profile>" to apparmor/exec (attr/exec on kernels
// without the per-LSM directory, as libapparmor's aa_change_onexec), the SELinux label to exec.
// Tests pass a plain directory.
Status write_exec_labels(int attr_dir_fd, const ExecLabels& labels);

// write_exec_labels on <proc_fd>/thread-self/attr, checked to be procfs. `proc_fd` is an open
// procfs root (the host's /proc the init keeps). For the init, and for `exec --apparmor` /
// `--process-label`.
Status apply_exec_labels(int proc_fd, const ExecLabels& labels);

// Mount data with linux.mountLabel as SELinux's context= option (go-selinux's
// FormatMountLabel): "mode=755" -> "mode=755,context=\"<label>\"". Unchanged when the label is
// empty.
std::string with_mount_label(const std::string& data, const std::string& mount_label);

}  // namespace burrow::linux
