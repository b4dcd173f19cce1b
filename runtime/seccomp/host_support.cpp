#include "seccomp/host_support.hpp"

#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp/features.hpp"
#include "seccomp/names.hpp"

namespace burrow::seccomp {
std::vector<std::string> kernel_supported_flags() {
  std::vector<std::string> names;
  for (const std::string& name : flag_names())
    if (kernel_takes_flag(*flag_from_name(name))) names.push_back(name);
  return names;
}

std::string libseccomp_version() {
  const scmp_version* version = seccomp_version();
  return std::to_string(version->major) + "." + std::to_string(version->minor) + "." +
         std::to_string(version->micro);
}

}  // namespace burrow::seccomp
