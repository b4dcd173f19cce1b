// Rules for process.scheduler, process.ioPriority, linux.personality and linux.memoryPolicy
// (runc's wording).
#include <spdlog/spdlog.h>

#include <algorithm>

#include "spec/memory_policy.hpp"
#include "spec/validate_parts.hpp"

namespace burrow::spec::validate_parts {
namespace {

template <size_t N>
bool one_of(const std::string& value, const std::string_view (&known)[N]) {
  return std::find(std::begin(known), std::end(known), value) != std::end(known);
}

constexpr std::string_view kPolicies[] = {"SCHED_OTHER",   "SCHED_FIFO", "SCHED_RR",
                                          "SCHED_BATCH",   "SCHED_ISO",  "SCHED_IDLE",
                                          "SCHED_DEADLINE"};
constexpr std::string_view kSchedulerFlags[] = {
    "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM",     "SCHED_FLAG_DL_OVERRUN",
    "SCHED_FLAG_KEEP_POLICY",   "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
    "SCHED_FLAG_UTIL_CLAMP_MAX"};
constexpr std::string_view kIoClasses[] = {"IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
                                           "IOPRIO_CLASS_IDLE"};

Status check_scheduler(const Scheduler& s) {
  const std::string path = "process.scheduler";
  if (s.policy.empty()) return invalid(path + ".policy", "scheduler policy is required");
  if (!one_of(s.policy, kPolicies)) {
    return invalid(path + ".policy", "invalid scheduler policy " + in_quotes(s.policy));
  }
  int nice = s.nice.value_or(0);
  if ((s.policy == "SCHED_OTHER" || s.policy == "SCHED_BATCH") && (nice < -20 || nice > 19)) {
    return invalid(path + ".nice", "invalid scheduler.nice: " + std::to_string(nice) +
                                       " when scheduler.policy is " + s.policy);
  }
  if (s.priority.value_or(0) != 0 && s.policy != "SCHED_FIFO" && s.policy != "SCHED_RR") {
    return invalid(path + ".priority",
                   "scheduler.priority can only be specified for SchedFIFO or SchedRR policy");
  }
  bool deadline_params = s.runtime.value_or(0) || s.deadline.value_or(0) || s.period.value_or(0);
  if (deadline_params && s.policy != "SCHED_DEADLINE") {
    return invalid(path,
                   "scheduler runtime/deadline/period can only be specified for "
                   "SchedDeadline policy");
  }
  for (size_t i = 0; i < s.flags.size(); ++i) {
    if (!one_of(s.flags[i], kSchedulerFlags)) {
      return invalid(at(path + ".flags", i), "invalid scheduler flag " + in_quotes(s.flags[i]));
    }
  }
  return {};
}

Status check_io_priority(const IoPriority& io) {
  if (io.priority < 0 || io.priority > 7) {
    return invalid("process.ioPriority.priority",
                   "invalid ioPriority.Priority: " + std::to_string(io.priority));
  }
  if (!one_of(io.io_class, kIoClasses)) {
    return invalid("process.ioPriority.class",
                   "invalid ioPriority.Class: " + in_quotes(io.io_class));
  }
  return {};
}

Status check_personality(const Personality& personality) {
  if (personality.domain != "LINUX" && personality.domain != "LINUX32") {
    return invalid("linux.personality.domain", "invalid personality domain " + personality.domain);
  }
  // Like runc: the spec defines no flags yet, so any given are ignored, loudly.
  if (!personality.flags.empty()) {
    spdlog::warn("config.json: linux.personality.flags: ignoring unsupported personality flags");
  }
  return {};
}

}  // namespace

Status check_memory_policy(const Spec& spec) {
  if (!spec.linux || !spec.linux->memory_policy) return {};
  const MemoryPolicy& policy = *spec.linux->memory_policy;
  const std::string path = "linux.memoryPolicy";
  std::optional<int> mode = mempolicy_mode(policy.mode);
  if (!mode) return invalid(path + ".mode", "invalid memory policy mode " + in_quotes(policy.mode));
  auto nodes = parse_node_list(policy.nodes);
  if (!nodes) {
    return invalid(path + ".nodes", "invalid memory policy nodes " + in_quotes(policy.nodes) +
                                        ": " + nodes.error().message);
  }
  int flags = 0;
  for (size_t i = 0; i < policy.flags.size(); ++i) {
    std::optional<int> flag = mempolicy_flag(policy.flags[i]);
    if (!flag)
      return invalid(at(path + ".flags", i),
                     "invalid memory policy flag " + in_quotes(policy.flags[i]));
    flags |= *flag;
  }
  if (auto broken = mempolicy_rule_broken(*mode, flags, nodes->size()))
    return invalid(path, policy.mode + ": " + *broken);
  return {};
}

Status check_process_scheduling(const Spec& spec) {
  if (spec.process && spec.process->scheduler) {
    BURROW_TRY(check_scheduler(*spec.process->scheduler));
  }
  if (spec.process && spec.process->io_priority) {
    BURROW_TRY(check_io_priority(*spec.process->io_priority));
  }
  if (spec.linux && spec.linux->personality) {
    BURROW_TRY(check_personality(*spec.linux->personality));
  }
  return {};
}

}  // namespace burrow::spec::validate_parts
