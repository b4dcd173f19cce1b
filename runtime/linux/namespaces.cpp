#include "linux/namespaces.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>

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

}  // namespace burrow::linux
