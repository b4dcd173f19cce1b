#include "pod/signal_processes.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <string>

#include "base/fd.hpp"
#include "base/syscalls.hpp"

namespace burrow::shim::pod {
namespace {

std::string mount_namespace_of(pid_t pid) {
  char target[128];
  std::string link = "/proc/" + std::to_string(pid) + "/ns/mnt";
  ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
  return n > 0 ? std::string(target, static_cast<size_t>(n)) : "";
}

// Field 6 of /proc/<pid>/stat (after the command name, which may hold spaces and parentheses).
pid_t session_of(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 1));
  std::string state;
  long ppid = 0, pgrp = 0, session = -1;
  fields >> state >> ppid >> pgrp >> session;
  return fields ? static_cast<pid_t>(session) : -1;
}

Result<int> signal_matching(pid_t init, int signal, pid_t session) {
  std::string wanted = mount_namespace_of(init);
  if (wanted.empty())
    return Error::from_errno("read the mount namespace of " + std::to_string(init));
  DIR* proc = ::opendir("/proc");
  if (!proc) return Error::from_errno("open /proc");
  int signalled = 0;
  while (struct dirent* entry = ::readdir(proc)) {
    if (!std::isdigit(static_cast<unsigned char>(entry->d_name[0]))) continue;
    pid_t pid = static_cast<pid_t>(std::stol(entry->d_name));
    auto pidfd = sys::pidfd_open(pid);
    if (!pidfd) continue;  // gone already
    if (mount_namespace_of(pid) != wanted) continue;
    if (session > 0 && session_of(pid) != session) continue;
    if (sys::pidfd_send_signal(pidfd->get(), signal)) ++signalled;
  }
  ::closedir(proc);
  return signalled;
}

}  // namespace

Result<int> signal_session(pid_t init, pid_t session, int signal) {
  if (session <= 0) return 0;
  return signal_matching(init, signal, session);
}

Result<int> signal_mount_namespace(pid_t init, int signal) {
  return signal_matching(init, signal, 0);
}

}  // namespace burrow::shim::pod
