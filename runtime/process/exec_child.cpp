#include "process/exec_child.hpp"

#include <fcntl.h>

#include "linux/lsm.hpp"
#include "linux/terminal.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "base/syscalls.hpp"
#include "linux/fds.hpp"
#include "linux/keyring.hpp"
#include "process/process_setup.hpp"
#include "process/spawn.hpp"

namespace burrow::process {
namespace {

// setns through the init's pidfd enters all of them at once (the kernel orders them: the user
// namespace first), so no half-joined state is ever visible.
Status join_container_namespaces(const ExecChildConfig& config) {
  config.steps->enter("join namespaces");
  if (config.namespace_flags == 0) return {};
  if (::setns(config.init_pidfd, config.namespace_flags) < 0)
    return Error::from_errno("join the container's namespaces");
  if (config.namespace_flags & CLONE_NEWUSER) {
    // Joined as whatever our host ids map to: become the namespace's root, as the init did.
    if (::setresgid(0, 0, 0) < 0) return Error::from_errno("setresgid 0 in the user namespace");
    if (::setresuid(0, 0, 0) < 0) return Error::from_errno("setresuid 0 in the user namespace");
  }
  return {};
}

// process.terminal: a pty of the container's devpts (our root is the container's since we
// joined its mount namespace) as controlling terminal and stdio; the master goes to exec.
// Without one the process still leads a session of its own (runc).
Status set_up_terminal(const ExecChildConfig& config, const SyncChannel& channel) {
  const spec::Process& process = *config.spec->process;
  if (!process.terminal) {
    config.steps->enter("new session");
    return linux::become_session_leader();
  }
  config.steps->enter("terminal");
  linux::Pty pty = BURROW_TRY(linux::open_container_pty(process.console_size));
  Message message = Message::make(MessageType::console_master, pty.slave_path);
  message.fds.push_back(std::move(pty.master));
  BURROW_TRY(channel.send(message));
  return linux::make_controlling_terminal(pty.slave.get(), pty.slave_path);
}

// In the container's namespaces (and its pid namespace, as a child): the shared final steps.
[[noreturn]] void run_process(const ExecChildConfig& config, const SyncChannel& channel) {
  const spec::Spec& spec = *config.spec;
  if (auto terminal = set_up_terminal(config, channel); !terminal) {
    channel.send_error(terminal.error());
    ::_exit(1);
  }
  ProcessSetup setup{&*spec.process, nullptr, config.capabilities, config.preserve_fds,
                     config.steps};
  if (spec.linux && spec.linux->personality) setup.personality = &*spec.linux->personality;
  if (spec.linux && spec.linux->memory_policy) setup.memory_policy = &*spec.linux->memory_policy;
  setup.seccomp = config.seccomp_filter;
  setup.wait_for_agent = true;
  auto plan = finish_process_setup(setup, channel);
  // A filter with a listener under no_new_privs: loaded here, so that its fd reaches the agent
  // before the process runs (without no_new_privs it was loaded before the user switch).
  if (plan && seccomp_at(setup, SeccompPoint::before_ready)) {
    if (auto installed = install_seccomp(*setup.seccomp, *config.steps, channel, true); !installed)
      plan = std::move(installed).error();
  }
  if (!plan) {
    channel.send_error(plan.error());
    ::_exit(1);
  }
  // AppArmor profile / SELinux label for the execve, through this pid namespace's /proc.
  const spec::Process& process = *spec.process;
  if (!process.apparmor_profile.empty() || !process.selinux_label.empty()) {
    config.steps->enter("apparmor profile and selinux label");
    Fd proc(::open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC));
    Status labelled = proc ? linux::apply_exec_labels(
                                 proc.get(), {process.apparmor_profile, process.selinux_label})
                           : Status(Error::from_errno("open /proc"));
    if (!labelled) {
      channel.send_error(labelled.error());
      ::_exit(1);
    }
  }
  config.steps->enter("exec");
  bool late = seccomp_at(setup, SeccompPoint::before_execve);
  exec_process(spec.process->args, *plan, &channel, late ? setup.seccomp : nullptr);
}

Status prepare(const ExecChildConfig& config, const SyncChannel& channel) {
  config.steps->enter("close inherited fds");
  BURROW_TRY(linux::close_inherited_fds(config.preserve_fds, {channel.fd(), config.init_pidfd}));
  config.steps->enter("wait for cgroup placement");
  BURROW_TRY(channel.expect(MessageType::cgroups_placed));
  BURROW_TRY(join_container_namespaces(config));
  if (!config.no_new_keyring) {
    config.steps->enter("session keyring");
    BURROW_TRY(linux::join_new_session_keyring("_ses." + config.id));
  }
  return {};
}

}  // namespace

void run_exec_child(const ExecChildConfig& config, const SyncChannel& channel) {
  spdlog::set_level(spdlog::level::off);  // our log's fd is closed with the inherited ones
  // Before joining anything: the container's processes must not ptrace us or open our /proc
  // files while we still hold host resources (CVE-2019-5736); forked children inherit it.
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
    channel.send_error(Error::from_errno("set non-dumpable"));
    ::_exit(1);
  }
  if (auto prepared = prepare(config, channel); !prepared) {
    channel.send_error(prepared.error());
    ::_exit(1);
  }
  config.steps->enter("fork into the pid namespace");
  SpawnRequest request;
  request.sibling = true;
  auto forked = spawn_child(request, [&] {
    ::close(config.init_pidfd);
    run_process(config, channel);
  });
  if (!forked) {
    channel.send_error(forked.error().wrap("fork the process"));
    ::_exit(1);
  }
  Message pid = Message::make(MessageType::init_pid, std::to_string(forked->pid));
  pid.fds.push_back(std::move(forked->pidfd));
  if (auto sent = channel.send(pid); !sent) {
    (void)sys::pidfd_send_signal(pid.fds.front().get(), SIGKILL);
    ::_exit(1);
  }
  ::_exit(0);
}

}  // namespace burrow::process
