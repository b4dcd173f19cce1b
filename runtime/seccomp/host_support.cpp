#include "seccomp/host_support.hpp"

#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp/seccomp_features.hpp"

namespace burrow::seccomp {
namespace {

// The kernel checks the flags before it reads the filter: a known flag with a NULL filter fails
// with EFAULT, an unknown one with EINVAL. Nothing is installed either way.
bool kernel_accepts(unsigned int bit) {
  // WAIT_KILLABLE_RECV is only valid together with NEW_LISTENER.
  if (bit == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) bit |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  long rc = ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, bit, nullptr);
  return rc < 0 && errno == EFAULT;
}

}  // namespace

std::vector<std::string> kernel_supported_flags() {
  std::vector<std::string> names;
  for (const FilterFlag& flag : known_flags())
    if (kernel_accepts(flag.bit)) names.emplace_back(flag.name);
  return names;
}

std::string libseccomp_version() {
  const scmp_version* version = seccomp_version();
  return std::to_string(version->major) + "." + std::to_string(version->minor) + "." +
         std::to_string(version->micro);
}

}  // namespace burrow::seccomp
