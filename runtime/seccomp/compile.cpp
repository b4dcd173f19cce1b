// linux.seccomp -> libseccomp rules -> exported BPF. Rules follow runc (libcontainer/seccomp):
// SCMP_ACT_KILL is KILL_THREAD, errnoRet defaults to EPERM, a rule whose action equals the
// default is redundant and skipped, names libseccomp does not know are skipped, and conditions on
// one syscall are ANDed in one rule unless two of them test the same argument, in which case each
// condition becomes a rule of its own (ORed), and syscalls newer than every one the profile names
// fail with ENOSYS (enosys_stub.hpp). One departure: a rule's argument conditions are not dropped
// on i386's socketcall and ipc multiplexers (multiplexer_guard.hpp).
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <memory>
#include <set>
#include <string>

#include <spdlog/spdlog.h>

#include "seccomp/enosys_stub.hpp"
#include "seccomp/features.hpp"
#include "seccomp/filter.hpp"
#include "seccomp/multiplexer_guard.hpp"
#include "seccomp/names.hpp"

namespace burrow::seccomp {
namespace {

const std::string kRoot = "linux.seccomp";
constexpr size_t kMaxArguments = 6;
constexpr uint32_t kMaxErrno = 4095;       // the kernel clamps SECCOMP_RET_ERRNO data to this
constexpr uint32_t kMaxTraceData = 65535;  // SECCOMP_RET_DATA

Error invalid(const std::string& path, const std::string& reason) {
  return Error::msg(path + ": " + reason);
}
std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}
std::string at(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

using Context = std::unique_ptr<void, decltype(&seccomp_release)>;

struct ActionRef {
  const std::string& name;
  const std::optional<uint32_t>& errno_ret;
  std::string path;        // of the action string
  std::string errno_path;  // of its errnoRet
};

struct ResolvedAction {
  Action kind;
  uint32_t value;  // libseccomp's SCMP_ACT_* value
};

Result<ResolvedAction> resolve_action(const ActionRef& ref) {
  auto kind = action_from_name(ref.name);
  if (!kind) return invalid(ref.path, "unknown action " + quoted(ref.name));
  bool takes_errno = *kind == Action::errno_ret || *kind == Action::trace;
  // runtime-spec: "When the action doesn't support an errno, the runtime MUST print and error
  // and fail."
  if (ref.errno_ret && !takes_errno)
    return invalid(ref.errno_path, ref.name +
                                       " takes no errno (only SCMP_ACT_ERRNO and "
                                       "SCMP_ACT_TRACE do)");
  uint32_t data = ref.errno_ret.value_or(EPERM);
  switch (*kind) {
    case Action::kill_thread:
      return ResolvedAction{*kind, SCMP_ACT_KILL_THREAD};
    case Action::kill_process:
      return ResolvedAction{*kind, SCMP_ACT_KILL_PROCESS};
    case Action::trap:
      return ResolvedAction{*kind, SCMP_ACT_TRAP};
    case Action::errno_ret:
      if (data > kMaxErrno)
        return invalid(ref.errno_path, std::to_string(data) + " is out of range [0, 4095]");
      return ResolvedAction{*kind, SCMP_ACT_ERRNO(data)};
    case Action::trace:
      if (data > kMaxTraceData)
        return invalid(ref.errno_path, std::to_string(data) + " is out of range [0, 65535]");
      return ResolvedAction{*kind, SCMP_ACT_TRACE(data)};
    case Action::allow:
      return ResolvedAction{*kind, SCMP_ACT_ALLOW};
    case Action::log:
      return ResolvedAction{*kind, SCMP_ACT_LOG};
    case Action::notify:
      return ResolvedAction{*kind, SCMP_ACT_NOTIFY};
  }
  return invalid(ref.path, "unknown action " + quoted(ref.name));
}

std::string libseccomp_version() {
  const scmp_version* v = seccomp_version();
  return std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->micro);
}

Status add_architectures(const spec::Seccomp& config, scmp_filter_ctx ctx,
                         std::vector<uint32_t>& tokens) {
  tokens.push_back(seccomp_arch_native());
  for (size_t i = 0; i < config.architectures.size(); ++i) {
    const std::string& name = config.architectures[i];
    std::string path = at(kRoot + ".architectures", i);
    auto arch = arch_from_name(name);
    if (!arch) return invalid(path, "unknown architecture " + quoted(name));
    if (arch->token == 0)
      return invalid(path, name + " is not supported by libseccomp " + libseccomp_version());
    int rc = seccomp_arch_add(ctx, arch->token);
    if (rc < 0 && rc != -EEXIST) return Error::from_errno(path + ": add " + name, -rc);
    if (rc == 0) tokens.push_back(arch->token);
  }
  return {};
}

Result<std::vector<scmp_arg_cmp>> conditions_of(const spec::SeccompSyscall& call,
                                                const std::string& path) {
  std::vector<scmp_arg_cmp> conditions;
  for (size_t j = 0; j < call.args.size(); ++j) {
    const spec::SeccompArg& arg = call.args[j];
    std::string arg_path = at(path + ".args", j);
    if (arg.index >= kMaxArguments)
      return invalid(arg_path + ".index",
                     std::to_string(arg.index) + " is out of range (a syscall has arguments 0-5)");
    auto op = operator_from_name(arg.op);
    if (!op) return invalid(arg_path + ".op", "unknown operator " + quoted(arg.op));
    // SCMP_CMP_MASKED_EQ: value is the mask, valueTwo what the masked argument must equal.
    conditions.push_back(
        scmp_arg_cmp{arg.index, static_cast<scmp_compare>(*op), arg.value, arg.value_two});
  }
  return conditions;
}

bool tests_an_argument_twice(const std::vector<scmp_arg_cmp>& conditions) {
  std::array<int, kMaxArguments> count{};
  for (const auto& condition : conditions) {
    if (++count[condition.arg] > 1) return true;
  }
  return false;
}

Status add_rules_for(scmp_filter_ctx ctx, int number, uint32_t action,
                     const std::vector<scmp_arg_cmp>& conditions) {
  auto add = [&](const scmp_arg_cmp* first, size_t count) -> Status {
    int rc = seccomp_rule_add_array(ctx, action, number, static_cast<unsigned>(count), first);
    if (rc < 0) return Error::from_errno("add rule", -rc);
    return {};
  };
  if (!tests_an_argument_twice(conditions)) return add(conditions.data(), conditions.size());
  for (const auto& condition : conditions) BURROW_TRY(add(&condition, 1));
  return {};
}

struct RuleSummary {
  bool notify = false;  // some rule asks for SCMP_ACT_NOTIFY
  LastSyscalls last;    // per architecture in the filter: the largest syscall number named
  MultiplexedRules multiplexed;
  std::set<std::string> unconditional_allows;

  // For multiplexer_guard(): a call allowed outright somewhere is not guarded.
  MultiplexedRules guard_input() const {
    MultiplexedRules rules = multiplexed;
    for (const auto& name : unconditional_allows) rules.conditional_allows.erase(name);
    return rules;
  }
};

bool permits(Action kind) {
  return kind == Action::allow || kind == Action::log;
}

bool is_multiplexer(const std::string& name) {
  return name == "socketcall" || name == "ipc";
}

// What multiplexer_guard() needs to know of one rule, as add_rules_for() hands it to libseccomp.
void note_for_guard(const spec::SeccompSyscall& call, Action kind,
                    const std::vector<scmp_arg_cmp>& conditions, RuleSummary& summary) {
  for (const auto& name : call.names) {
    if (permits(kind))
      (conditions.empty() ? summary.unconditional_allows : summary.multiplexed.conditional_allows)
          .insert(name);
    if (!is_multiplexer(name)) continue;
    auto& rules = summary.multiplexed.multiplexer_rules[name];
    if (!tests_an_argument_twice(conditions)) {
      rules.push_back(conditions);
    } else {
      for (const auto& condition : conditions) rules.push_back({condition});
    }
  }
}

// As runc: every name of every rule counts, whatever its action.
void note_last_syscall(const std::string& name, RuleSummary& summary) {
  for (auto& [token, last] : summary.last) {
    int number = seccomp_syscall_resolve_name_arch(token, name.c_str());
    if (number < 0) continue;
    uint32_t plain = static_cast<uint32_t>(number) & ~0x40000000u;  // x32 numbers carry a bit
    if (!last || plain > *last) last = plain;
  }
}

Status add_syscall(const spec::SeccompSyscall& call, size_t i, uint32_t default_action,
                   scmp_filter_ctx ctx, RuleSummary& summary) {
  std::string path = at(kRoot + ".syscalls", i);
  if (call.names.empty()) return invalid(path + ".names", "must name at least one syscall");
  ResolvedAction action = BURROW_TRY(
      resolve_action({call.action, call.errno_ret, path + ".action", path + ".errnoRet"}));
  std::vector<scmp_arg_cmp> conditions = BURROW_TRY(conditions_of(call, path));
  for (size_t k = 0; k < call.names.size(); ++k) {
    const std::string& name = call.names[k];
    std::string name_path = at(path + ".names", k);
    if (name.empty()) return invalid(name_path, "empty string is not a valid syscall");
    // The agent gets the listener fd only after the init has sent it with sendmsg; and the init
    // writes (the exec fifo, its messages) under the filter before any agent answers, so a
    // notified write would wait on the agent forever (runc refuses it with these words).
    if (action.kind == Action::notify && (name == "sendmsg" || name == "write"))
      return invalid(name_path, "SCMP_ACT_NOTIFY cannot be used for the " + name + " syscall");
  }
  if (action.kind == Action::notify) summary.notify = true;
  for (const auto& name : call.names) note_last_syscall(name, summary);
  if (action.value == default_action) return {};  // redundant (libseccomp refuses it)
  note_for_guard(call, action.kind, conditions, summary);
  for (size_t k = 0; k < call.names.size(); ++k) {
    const std::string& name = call.names[k];
    int number = seccomp_syscall_resolve_name(name.c_str());
    if (number == __NR_SCMP_ERROR) {
      spdlog::debug("unknown seccomp syscall {} ignored", quoted(name));
      continue;
    }
    BURROW_TRY_CTX(add_rules_for(ctx, number, action.value, conditions),
                   at(path + ".names", k) + ": " + name);
  }
  return {};
}

// runc's default when flags is absent: SPEC_ALLOW if the kernel has it (no forced
// speculative-store-bypass mitigation). WAIT_KILLABLE_RECV only exists for a listener: the kernel
// refuses it without one.
Result<unsigned> filter_flags(const spec::Seccomp& config, bool listener) {
  unsigned flags = 0;
  if (!config.flags_given && kernel_takes_flag(SECCOMP_FILTER_FLAG_SPEC_ALLOW))
    flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW;
  for (size_t i = 0; i < config.flags.size(); ++i) {
    std::string path = at(kRoot + ".flags", i);
    auto flag = flag_from_name(config.flags[i]);
    if (!flag) return invalid(path, "unknown flag " + quoted(config.flags[i]));
    // Checked here, not left to the init: with noNewPrivileges the filter is loaded after
    // `start`, too late to tell the caller.
    if (!kernel_takes_flag(*flag))
      return invalid(path, config.flags[i] + " is not supported by this kernel");
    flags |= *flag;
  }
  if (!listener && (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)) {
    spdlog::debug(
        "seccomp: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV ignored: no SCMP_ACT_NOTIFY rule");
    flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
  }
  if (listener) {
    flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
    // TSYNC reports a failing thread by its tid, which the kernel cannot tell from a listener fd.
    if (flags & SECCOMP_FILTER_FLAG_TSYNC) flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
  }
  return flags;
}

// runc adds the stub unless the default already allows, or already says ENOSYS.
bool wants_enosys_stub(Action default_kind, uint32_t default_value) {
  if (default_kind == Action::allow || default_kind == Action::log) return false;
  return default_value != SCMP_ACT_ERRNO(ENOSYS);
}

Result<std::vector<struct sock_filter>> export_program(scmp_filter_ctx ctx,
                                                       std::vector<struct sock_filter> prefix) {
  Fd memfd(::memfd_create("seccomp-bpf", MFD_CLOEXEC));
  if (!memfd) return Error::from_errno("memfd_create");
  if (int rc = seccomp_export_bpf(ctx, memfd.get()); rc < 0)
    return Error::from_errno("seccomp_export_bpf", -rc);
  off_t size = ::lseek(memfd.get(), 0, SEEK_END);
  if (size < 0) return Error::from_errno("lseek");
  if (size % sizeof(struct sock_filter) != 0)
    return Error::msg("seccomp_export_bpf: " + std::to_string(size) + " bytes", EPROTO);
  std::vector<struct sock_filter> program = std::move(prefix);
  size_t start = program.size();
  program.resize(start + static_cast<size_t>(size) / sizeof(struct sock_filter));
  size_t bytes = static_cast<size_t>(size);
  if (::pread(memfd.get(), program.data() + start, bytes, 0) != static_cast<ssize_t>(size))
    return Error::from_errno("read exported seccomp filter");
  if (program.size() > BPF_MAXINSNS)
    return invalid(kRoot, "the filter compiles to " + std::to_string(program.size()) +
                              " BPF instructions; the kernel takes at most " +
                              std::to_string(BPF_MAXINSNS));
  return program;
}

size_t rule_count(const spec::Seccomp& config) {
  size_t count = 0;
  for (const auto& call : config.syscalls) count += call.names.size();
  return count;
}

}  // namespace

Result<std::optional<Filter>> compile(const spec::Seccomp& config) {
  if (config.default_action.empty() && config.syscalls.empty()) {
    spdlog::debug("{}: no defaultAction and no syscalls: no filter", kRoot);
    return std::optional<Filter>();
  }
  std::string default_path = kRoot + ".defaultAction";
  if (config.default_action.empty()) return invalid(default_path, "required field is missing");
  ResolvedAction default_action = BURROW_TRY(resolve_action(
      {config.default_action, config.default_errno_ret, default_path, kRoot + ".defaultErrnoRet"}));
  if (default_action.kind == Action::notify)
    return invalid(default_path, "SCMP_ACT_NOTIFY cannot be used as default action");
  if (config.listener_path.empty() && !config.listener_metadata.empty())
    return invalid(kRoot + ".listenerMetadata", "must not be set without listenerPath");

  Context ctx(seccomp_init(default_action.value), seccomp_release);
  if (!ctx) return Error::msg(kRoot + ": seccomp_init failed", EINVAL);
  std::vector<uint32_t> arch_tokens;
  BURROW_TRY(add_architectures(config, ctx.get(), arch_tokens));
  // Binary-tree dispatch for long rule lists, as runc does (libseccomp <= 2.5.4 misbehaves with
  // it on an empty list).
  if (rule_count(config) > 32 && seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
    spdlog::debug("seccomp binary tree optimization not available");
  RuleSummary summary;
  for (uint32_t token : arch_tokens) summary.last[token] = std::nullopt;
  for (size_t i = 0; i < config.syscalls.size(); ++i)
    BURROW_TRY(add_syscall(config.syscalls[i], i, default_action.value, ctx.get(), summary));
  if (summary.notify && config.listener_path.empty())
    return invalid(kRoot + ".listenerPath", "seccomp listenerPath is not set");

  Filter filter;
  filter.listener = summary.notify;
  filter.flags = BURROW_TRY(filter_flags(config, filter.listener));
  std::vector<struct sock_filter> prefix;
  if (wants_enosys_stub(default_action.kind, default_action.value))
    prefix = enosys_stub(summary.last);
  if (!permits(default_action.kind)) {
    auto guard = multiplexer_guard(summary.guard_input(), arch_tokens, default_action.value);
    prefix.insert(prefix.end(), guard.begin(), guard.end());
  }
  filter.program = BURROW_TRY(export_program(ctx.get(), std::move(prefix)));
  return std::optional<Filter>(std::move(filter));
}

}  // namespace burrow::seccomp
