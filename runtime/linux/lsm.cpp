#include "linux/lsm.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "base/fd.hpp"
#include "base/file.hpp"

namespace burrow::linux {
namespace {

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

Status invalid_label(const char* path, const char* lsm) {
  return Error::msg(std::string(path) + ": " + lsm + " is not enabled on this host", EINVAL);
}

// One write(2) of the whole value, no O_TRUNC (the kernel takes an attr value per write).
Status write_attr(int dir_fd, const std::string& name, const std::string& value) {
  Fd fd(::openat(dir_fd, name.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return Error::from_errno("open attr/" + name);
  ssize_t n = ::write(fd.get(), value.data(), value.size());
  if (n < 0) return Error::from_errno("write attr/" + name);
  if (static_cast<size_t>(n) != value.size()) return Error::msg("short write to attr/" + name);
  return {};
}

}  // namespace

HostLsms detect_host_lsms(const std::string& sys_dir) {
  HostLsms host;
  if (exists(sys_dir + "/kernel/security/apparmor")) {
    auto enabled = file::read(sys_dir + "/module/apparmor/parameters/enabled");
    host.apparmor = enabled && !enabled->empty() && enabled->front() == 'Y';
  }
  host.selinux = exists(sys_dir + "/fs/selinux/enforce");
  return host;
}

Status check_lsm_labels(const spec::Spec& spec, const HostLsms& host) {
  if (spec.process && !spec.process->apparmor_profile.empty() && !host.apparmor)
    return invalid_label("process.apparmorProfile", "AppArmor");
  if (spec.process && !spec.process->selinux_label.empty() && !host.selinux)
    return invalid_label("process.selinuxLabel", "SELinux");
  if (spec.linux && !spec.linux->mount_label.empty() && !host.selinux)
    return invalid_label("linux.mountLabel", "SELinux");
  return {};
}

Status write_exec_labels(int attr_dir_fd, const ExecLabels& labels) {
  if (!labels.apparmor_profile.empty()) {
    struct stat st {};
    bool per_lsm = ::fstatat(attr_dir_fd, "apparmor/exec", &st, 0) == 0;
    BURROW_TRY_CTX(write_attr(attr_dir_fd, per_lsm ? "apparmor/exec" : "exec",
                              "exec " + labels.apparmor_profile),
                   "apparmor failed to apply profile " + labels.apparmor_profile);
  }
  if (!labels.selinux_label.empty()) {
    BURROW_TRY_CTX(write_attr(attr_dir_fd, "exec", labels.selinux_label),
                   "set SELinux process label " + labels.selinux_label);
  }
  return {};
}

Status apply_exec_labels(int proc_fd, const ExecLabels& labels) {
  if (labels.apparmor_profile.empty() && labels.selinux_label.empty()) return {};
  Fd attr(::openat(proc_fd, "thread-self/attr", O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
  if (!attr) return Error::from_errno("open /proc/thread-self/attr");
  struct statfs fs {};
  if (::fstatfs(attr.get(), &fs) < 0) return Error::from_errno("statfs /proc/thread-self/attr");
  if (fs.f_type != PROC_SUPER_MAGIC)
    return Error::msg("/proc/thread-self/attr is not on procfs", EXDEV);
  return write_exec_labels(attr.get(), labels);
}

std::string with_mount_label(const std::string& data, const std::string& mount_label) {
  if (mount_label.empty()) return data;
  std::string context = "context=\"" + mount_label + "\"";
  return data.empty() ? context : data + "," + context;
}

}  // namespace burrow::linux
