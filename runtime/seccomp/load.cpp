#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp/filter.hpp"

namespace burrow::seccomp {

Result<Fd> load(const Filter& filter) {
  struct sock_fprog program {};
  program.len = static_cast<unsigned short>(filter.program.size());
  program.filter = const_cast<struct sock_filter*>(filter.program.data());
  long rc = ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, filter.flags, &program);
  if (rc < 0) return Error::from_errno("seccomp(SECCOMP_SET_MODE_FILTER)");
  // The kernel makes the listener close-on-exec.
  return filter.listener ? Fd(static_cast<int>(rc)) : Fd();
}

}  // namespace burrow::seccomp
