#include "linux/namespaces.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace burrow::linux {

int clone_flag(spec::NamespaceType type) {
  switch (type) {
    case spec::NamespaceType::pid:
      return CLONE_NEWPID;
    case spec::NamespaceType::network:
      return CLONE_NEWNET;
    case spec::NamespaceType::mount:
      return CLONE_NEWNS;
    case spec::NamespaceType::ipc:
      return CLONE_NEWIPC;
    case spec::NamespaceType::uts:
      return CLONE_NEWUTS;
    case spec::NamespaceType::user:
      return CLONE_NEWUSER;
    case spec::NamespaceType::cgroup:
      return CLONE_NEWCGROUP;
    case spec::NamespaceType::time:
      return CLONE_NEWTIME;
  }
  return 0;
}

const char* proc_ns_name(spec::NamespaceType type) {
  switch (type) {
    case spec::NamespaceType::pid:
      return "pid";
    case spec::NamespaceType::network:
      return "net";
    case spec::NamespaceType::mount:
      return "mnt";
    case spec::NamespaceType::ipc:
      return "ipc";
    case spec::NamespaceType::uts:
      return "uts";
    case spec::NamespaceType::user:
      return "user";
    case spec::NamespaceType::cgroup:
      return "cgroup";
    case spec::NamespaceType::time:
      return "time";
  }
  return "?";
}

Result<Fd> open_namespace(const std::string& path, spec::NamespaceType type) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  std::string what = std::string(spec::namespace_type_name(type)) + " namespace " + path;
  if (!fd) return Error::from_errno("open " + what);
  int kind = ::ioctl(fd.get(), NS_GET_NSTYPE);
  if (kind < 0)
    return Error::from_errno(what + ": not a namespace file", errno == ENOTTY ? EINVAL : errno);
  if (kind != clone_flag(type))
    return Error::msg(what + ": is a namespace of another kind", EINVAL);
  return fd;
}

Status join_namespace(int fd, spec::NamespaceType type, const std::string& path) {
  if (::setns(fd, clone_flag(type)) < 0)
    return Error::from_errno(std::string("join ") + spec::namespace_type_name(type) +
                             " namespace " + path);
  return {};
}

std::string timens_offsets_text(const std::map<std::string, spec::TimeOffset>& offsets) {
  std::string text;
  for (const auto& [clock, offset] : offsets)
    text +=
        clock + " " + std::to_string(offset.secs) + " " + std::to_string(offset.nanosecs) + "\n";
  return text;
}

namespace {

Status write_timens_offsets(const std::string& text) {
  Fd file(::open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC));
  if (!file) return Error::from_errno("open /proc/self/timens_offsets");
  ssize_t written = ::write(file.get(), text.data(), text.size());
  if (written < 0) return Error::from_errno("write time offsets " + text);
  if (static_cast<size_t>(written) != text.size())
    return Error(EIO, "short write of time offsets " + text);
  return {};
}

}  // namespace

Status enter_new_time_namespace(const std::map<std::string, spec::TimeOffset>& offsets,
                                bool dumpable_window) {
  if (::unshare(CLONE_NEWTIME) < 0) return Error::from_errno("unshare time namespace");
  if (!offsets.empty()) {
    if (dumpable_window && ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
      return Error::from_errno("set dumpable to write time offsets");
    Status written = write_timens_offsets(timens_offsets_text(offsets));
    if (dumpable_window && ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
      return Error::from_errno("set non-dumpable after writing time offsets");
    if (!written) return std::move(written).error();
  }
  // unshare placed only our future children in it; setns moves this process in.
  Fd next(::open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC));
  if (!next) return Error::from_errno("open /proc/self/ns/time_for_children");
  if (::setns(next.get(), CLONE_NEWTIME) < 0) return Error::from_errno("enter time namespace");
  return {};
}

}  // namespace burrow::linux
