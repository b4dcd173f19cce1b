#include "process/process_setup.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "linux/exec_path.hpp"
#include "linux/fds.hpp"
#include "linux/memory_policy.hpp"
#include "linux/process_attrs.hpp"
#include "linux/rlimits.hpp"
#include "linux/user.hpp"

namespace burrow::process {
namespace {

Status apply_process_attributes(const ProcessSetup& setup) {
  const spec::Process& process = *setup.process;
  if (setup.personality) BURROW_TRY(linux::set_personality(*setup.personality));
  if (process.io_priority) BURROW_TRY(linux::set_io_priority(*process.io_priority));
  if (process.scheduler) BURROW_TRY(linux::set_scheduler(*process.scheduler));
  if (setup.memory_policy)
    BURROW_TRY_CTX(linux::set_memory_policy(*setup.memory_policy), "linux.memoryPolicy");
  return {};
}

Status set_identity(const ProcessSetup& setup, const SyncChannel& channel) {
  const spec::Process& process = *setup.process;
  const StepTracker& steps = *setup.steps;
  steps.enter("no_new_privileges");
  if (process.no_new_privileges) BURROW_TRY(linux::set_no_new_privs());
  if (seccomp_at(setup, SeccompPoint::before_user_switch))
    BURROW_TRY(install_seccomp(*setup.seccomp, steps, channel, setup.wait_for_agent));
  steps.enter("chown stdio");
  BURROW_TRY(linux::chown_stdio(process.user.uid));
  // The cwd is entered as root first (runc): `cwd: /root` (0700) works for uid 1000. Refused
  // there, it is tried again as the user.
  steps.enter("cwd");
  const std::string cwd = process.cwd.empty() ? "/" : process.cwd;
  bool in_cwd = BURROW_TRY(linux::enter_cwd_if_permitted(cwd));
  steps.enter("drop bounding set");
  BURROW_TRY(linux::drop_bounding_set(setup.capabilities));
  steps.enter("switch user");
  bool setgroups = BURROW_TRY(linux::setgroups_allowed());
  BURROW_TRY(linux::switch_user(process.user, setgroups));
  steps.enter("capabilities");
  BURROW_TRY(linux::apply_capabilities(setup.capabilities));
  if (!in_cwd) {
    steps.enter("cwd as the user");
    BURROW_TRY(linux::enter_cwd(cwd));
  }
  // runc's own default config (`spec`) lists ambient capabilities with no inheritable set, so
  // none can be raised; runc says nothing then, and neither does burrow. A config that does ask
  // for inheritable capabilities and still misses some ambient ones is told which.
  uint64_t missing = linux::missing_ambient_capabilities(setup.capabilities);
  if (missing && setup.capabilities.inheritable != 0) {
    std::string names;
    for (const auto& name : linux::capability_names(missing))
      names += (names.empty() ? "" : " ") + name;
    BURROW_TRY(channel.send(Message::make(
        MessageType::warning, "ambient capabilities not raised (not in inheritable): " + names)));
  }
  return {};
}

Result<ExecPlan> prepare_exec(const ProcessSetup& setup) {
  const spec::Process& process = *setup.process;
  setup.steps->enter("umask");
  linux::set_umask(process.user.umask.value_or(022));
  setup.steps->enter("resolve executable");
  ExecPlan plan;
  plan.env = linux::environment_with_home(process.env, process.user.uid);
  plan.path = BURROW_TRY(linux::resolve_executable(process.args.at(0), plan.env));
  return plan;
}

}  // namespace

bool seccomp_at(const seccomp::Filter* filter, bool no_new_privileges, SeccompPoint point) {
  if (!filter) return false;
  if (!no_new_privileges) return point == SeccompPoint::before_user_switch;
  if (filter->listener) return point == SeccompPoint::before_ready;
  return point == SeccompPoint::before_execve;
}

Status install_seccomp(const seccomp::Filter& filter, const StepTracker& steps,
                       const SyncChannel& channel, bool wait_for_agent) {
  steps.enter("seccomp");
  Fd listener = BURROW_TRY(seccomp::load(filter));
  if (!listener) return {};
  Message message = Message::make(MessageType::seccomp_listener);
  message.fds.push_back(std::move(listener));
  BURROW_TRY(channel.send(message));
  if (!wait_for_agent) return {};
  steps.enter("wait for the seccomp agent");
  BURROW_TRY(channel.expect(MessageType::seccomp_agent_done));
  return {};
}

Result<ExecPlan> finish_process_setup(const ProcessSetup& setup, const SyncChannel& channel) {
  setup.steps->enter("rlimits");
  BURROW_TRY(linux::apply_rlimits(setup.process->rlimits));
  setup.steps->enter("process attributes");
  BURROW_TRY(apply_process_attributes(setup));
  BURROW_TRY(set_identity(setup, channel));
  ExecPlan plan = BURROW_TRY(prepare_exec(setup));
  BURROW_TRY(linux::clear_cloexec_on_preserved(setup.preserve_fds));
  return plan;
}

void exec_process(const std::vector<std::string>& args, const ExecPlan& plan,
                  const SyncChannel* waiting, const seccomp::Filter* filter) {
  std::vector<char*> argv;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& var : plan.env) envp.push_back(const_cast<char*>(var.c_str()));
  envp.push_back(nullptr);
  // A foreground `run` or `exec` blocks every signal while it sets up; the process starts with
  // none blocked.
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  Error failed;
  if (auto loaded = filter ? seccomp::load(*filter) : Result<Fd>(Fd()); !loaded) {
    failed = std::move(loaded).error().wrap("seccomp");
  } else {
    ::execve(plan.path.c_str(), argv.data(), envp.data());
    failed = Error::from_errno("exec " + plan.path, errno);
  }
  if (waiting)
    waiting->send_error(failed);
  else
    std::fprintf(stderr, "burrow: %s\n", failed.message.c_str());
  ::_exit(127);
}

}  // namespace burrow::process
