#include "linux/process_attrs.hpp"

#include <fcntl.h>
#include <linux/ioprio.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <climits>
#include <utility>

#include "base/fd.hpp"

namespace burrow::linux {
namespace {

constexpr std::array<std::pair<std::string_view, int>, 3> kIoprioClasses = {{
    {"IOPRIO_CLASS_RT", IOPRIO_CLASS_RT},
    {"IOPRIO_CLASS_BE", IOPRIO_CLASS_BE},
    {"IOPRIO_CLASS_IDLE", IOPRIO_CLASS_IDLE},
}};

constexpr std::array<std::pair<std::string_view, uint32_t>, 7> kSchedPolicies = {{
    {"SCHED_OTHER", SCHED_OTHER},
    {"SCHED_FIFO", SCHED_FIFO},
    {"SCHED_RR", SCHED_RR},
    {"SCHED_BATCH", SCHED_BATCH},
    {"SCHED_ISO", 4},  // reserved by Linux, never implemented: the kernel answers EINVAL
    {"SCHED_IDLE", SCHED_IDLE},
    {"SCHED_DEADLINE", SCHED_DEADLINE},
}};

constexpr std::array<std::pair<std::string_view, uint64_t>, 7> kSchedFlags = {{
    {"SCHED_FLAG_RESET_ON_FORK", SCHED_FLAG_RESET_ON_FORK},
    {"SCHED_FLAG_RECLAIM", SCHED_FLAG_RECLAIM},
    {"SCHED_FLAG_DL_OVERRUN", SCHED_FLAG_DL_OVERRUN},
    {"SCHED_FLAG_KEEP_POLICY", SCHED_FLAG_KEEP_POLICY},
    {"SCHED_FLAG_KEEP_PARAMS", SCHED_FLAG_KEEP_PARAMS},
    {"SCHED_FLAG_UTIL_CLAMP_MIN", SCHED_FLAG_UTIL_CLAMP_MIN},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", SCHED_FLAG_UTIL_CLAMP_MAX},
}};

template <typename Table>
auto lookup(const Table& table, std::string_view name)
    -> std::optional<typename Table::value_type::second_type> {
  for (const auto& [known, value] : table) {
    if (known == name) return value;
  }
  return std::nullopt;
}

// struct sched_attr of include/uapi/linux/sched/types.h (SCHED_ATTR_SIZE_VER1). That header
// cannot be included next to glibc's <sched.h> (both define struct sched_param).
struct SchedAttr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
  uint32_t sched_util_min;
  uint32_t sched_util_max;
};
static_assert(sizeof(SchedAttr) == 56);

// The raw syscall, not glibc's getcwd: glibc turns the kernel's "(unreachable)/x" into ENOENT,
// and the exact text is worth showing in the error.
Result<std::string> raw_getcwd() {
  char buf[PATH_MAX + 1] = {};
  if (::syscall(SYS_getcwd, buf, sizeof(buf) - 1) < 0) return Error::from_errno("getcwd");
  return std::string(buf);
}

}  // namespace

Status set_no_new_privs() {
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return Error::from_errno("prctl(PR_SET_NO_NEW_PRIVS)");
  return {};
}

Status set_oom_score_adj(int score, pid_t pid) {
  const std::string what = "set oom_score_adj to " + std::to_string(score);
  std::string path = "/proc/" + (pid > 0 ? std::to_string(pid) : std::string("self"));
  Fd fd(::open((path + "/oom_score_adj").c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
  if (!fd) return Error::from_errno(what);
  struct statfs fs {};
  if (::fstatfs(fd.get(), &fs) < 0) return Error::from_errno(what + ": statfs");
  if (fs.f_type != PROC_SUPER_MAGIC) return Error::msg(what + ": /proc is not procfs", EXDEV);
  const std::string text = std::to_string(score);
  if (::write(fd.get(), text.data(), text.size()) < 0) {
    int err = errno;
    Error error = Error::from_errno(what, err);
    if (err == EACCES) error.message += " (lowering it needs CAP_SYS_RESOURCE)";
    return error;
  }
  return {};
}

void set_umask(uint32_t mask) {
  ::umask(static_cast<mode_t>(mask & 0777));
}

Status set_personality(const spec::Personality& personality) {
  unsigned long persona;
  if (personality.domain == "LINUX") {
    persona = PER_LINUX;
  } else if (personality.domain == "LINUX32") {
    persona = PER_LINUX32;
  } else {
    return Error::msg("unknown personality domain \"" + personality.domain + "\"", EINVAL);
  }
  if (!personality.flags.empty()) return Error::msg("personality flags are not supported", EINVAL);
  if (::personality(persona) < 0) return Error::from_errno("personality " + personality.domain);
  return {};
}

std::optional<int> ioprio_class_from_name(std::string_view name) {
  return lookup(kIoprioClasses, name);
}

Status set_io_priority(const spec::IoPriority& io_priority) {
  auto io_class = ioprio_class_from_name(io_priority.io_class);
  if (!io_class)
    return Error::msg("unknown io priority class \"" + io_priority.io_class + "\"", EINVAL);
  const std::string what =
      "ioprio_set " + io_priority.io_class + " " + std::to_string(io_priority.priority);
  if (io_priority.priority < 0 || io_priority.priority > 7)
    return Error::msg(what + ": priority must be 0..7", EINVAL);
  int value = IOPRIO_PRIO_VALUE(*io_class, io_priority.priority);
  if (::syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, value) < 0) return Error::from_errno(what);
  return {};
}

std::optional<uint32_t> sched_policy_from_name(std::string_view name) {
  return lookup(kSchedPolicies, name);
}

std::optional<uint64_t> sched_flag_from_name(std::string_view name) {
  return lookup(kSchedFlags, name);
}

Status set_scheduler(const spec::Scheduler& scheduler) {
  auto policy = sched_policy_from_name(scheduler.policy);
  if (!policy) return Error::msg("unknown scheduler policy \"" + scheduler.policy + "\"", EINVAL);
  SchedAttr attr{};
  attr.size = sizeof(attr);
  attr.sched_policy = *policy;
  for (const auto& name : scheduler.flags) {
    auto flag = sched_flag_from_name(name);
    if (!flag) return Error::msg("unknown scheduler flag \"" + name + "\"", EINVAL);
    attr.sched_flags |= *flag;
  }
  attr.sched_nice = scheduler.nice.value_or(0);
  attr.sched_priority = static_cast<uint32_t>(scheduler.priority.value_or(0));
  attr.sched_runtime = scheduler.runtime.value_or(0);
  attr.sched_deadline = scheduler.deadline.value_or(0);
  attr.sched_period = scheduler.period.value_or(0);
  if (::syscall(SYS_sched_setattr, 0, &attr, 0) < 0)
    return Error::from_errno("sched_setattr " + scheduler.policy);
  return {};
}

namespace {

Error chdir_error(const std::string& cwd, int code) {
  return Error::from_errno("chdir to cwd (\"" + cwd + "\") set in config.json failed", code);
}

Status check_cwd_inside_root() {
  auto actual = raw_getcwd();
  if (!actual) {
    if (actual.error().code == ENOENT)
      return Error::msg(
          "current working directory is outside of container mount namespace root -- possible "
          "container breakout detected",
          ENOENT);
    return std::move(actual).error();
  }
  if (actual->empty() || (*actual)[0] != '/')
    return Error::msg(
        "current working directory is not absolute -- possible container breakout detected: "
        "cwd is \"" +
            *actual + "\"",
        EPERM);
  return {};
}

}  // namespace

Status enter_cwd(const std::string& cwd) {
  if (::chdir(cwd.c_str()) < 0) return chdir_error(cwd, errno);
  return check_cwd_inside_root();
}

Result<bool> enter_cwd_if_permitted(const std::string& cwd) {
  if (::chdir(cwd.c_str()) < 0) {
    if (errno == EACCES || errno == EPERM) return false;
    return chdir_error(cwd, errno);
  }
  BURROW_TRY(check_cwd_inside_root());
  return true;
}

Status make_cwd(const std::string& cwd) {
  for (size_t end = cwd.find('/', 1);; end = cwd.find('/', end + 1)) {
    std::string prefix = cwd.substr(0, end);
    if (!prefix.empty() && ::mkdir(prefix.c_str(), 0755) < 0 && errno != EEXIST)
      return Error::from_errno("mkdir cwd " + prefix);
    if (end == std::string::npos) return {};
  }
}

}  // namespace burrow::linux
