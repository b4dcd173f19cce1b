#include "seccomp/features.hpp"

#include <errno.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp/names.hpp"

namespace burrow::seccomp {
namespace {

uint32_t kernel_return_value(std::string_view action) {
  if (action == "SCMP_ACT_KILL_PROCESS") return SECCOMP_RET_KILL_PROCESS;
  if (action == "SCMP_ACT_KILL" || action == "SCMP_ACT_KILL_THREAD") return SECCOMP_RET_KILL_THREAD;
  if (action == "SCMP_ACT_TRAP") return SECCOMP_RET_TRAP;
  if (action == "SCMP_ACT_ERRNO") return SECCOMP_RET_ERRNO;
  if (action == "SCMP_ACT_TRACE") return SECCOMP_RET_TRACE;
  if (action == "SCMP_ACT_LOG") return SECCOMP_RET_LOG;
  if (action == "SCMP_ACT_NOTIFY") return SECCOMP_RET_USER_NOTIF;
  return SECCOMP_RET_ALLOW;
}

bool kernel_has_action(std::string_view action) {
  uint32_t value = kernel_return_value(action);
  return ::syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &value) == 0;
}

}  // namespace

// With a NULL program the kernel checks the flags first: EFAULT means it took them. (The probe
// installs nothing.) WAIT_KILLABLE_RECV is only taken together with NEW_LISTENER.
bool kernel_takes_flag(unsigned flag) {
  if (flag == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) flag |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  return ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flag, nullptr) < 0 && errno == EFAULT;
}

nlohmann::json features() {
  nlohmann::json actions = nlohmann::json::array();
  for (const auto& name : action_names()) {
    if (kernel_has_action(name)) actions.push_back(name);
  }
  nlohmann::json supported = nlohmann::json::array();
  for (const auto& name : flag_names()) {
    if (kernel_takes_flag(*flag_from_name(name))) supported.push_back(name);
  }
  return {{"enabled", true},       {"actions", actions},         {"operators", operator_names()},
          {"archs", arch_names()}, {"knownFlags", flag_names()}, {"supportedFlags", supported}};
}

}  // namespace burrow::seccomp
