// burrow exec: a new process in a created or running container (DESIGN.md, "Process model";
// the child side is process/exec_child). The process joins every namespace of the init and its
// cgroups, gets the same isolation as the init, and is our child: in the foreground we forward
// signals to it and exit with its status; with --detach we return once it has exec'd.
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>

#include <spdlog/spdlog.h>

#include "base/file.hpp"
#include "base/syscalls.hpp"
#include "container/cgroup_ops.hpp"
#include "container/exec_spec.hpp"
#include "container/foreground.hpp"
#include "container/loaded.hpp"
#include "container/operations.hpp"
#include "linux/process_attrs.hpp"
#include "process/exec_child.hpp"
#include "process/spawn.hpp"
#include "spec/parse.hpp"

namespace burrow::container {
namespace {

Status check_execable(state::ContainerStatus status, bool ignore_paused) {
  if (status == state::ContainerStatus::stopped)
    return Error::msg("cannot exec in a stopped container");
  if (status == state::ContainerStatus::paused && !ignore_paused)
    return Error::msg("cannot exec in a paused container (use --ignore-paused to override)");
  return {};
}

// What the command line may ask that burrow cannot do yet.
Status check_unsupported_flags(const ExecOptions& options) {
  if (options.tty) return Error::msg("exec --tty: terminals are not supported yet");
  if (!options.console_socket.empty())
    return Error::msg("exec --console-socket: terminals are not supported yet");
  if (!options.cgroups.empty())
    return Error::msg("exec --cgroup: sub-cgroups are not supported yet");
  return {};
}

// The init's namespaces that are not ours: what the process joins. Namespaces the container
// shares with us are left alone (setns into our own user namespace would fail with EINVAL).
Result<int> namespaces_to_join(pid_t init_pid) {
  static constexpr std::pair<const char*, int> kKinds[] = {
      {"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},   {"pid", CLONE_NEWPID},
      {"net", CLONE_NEWNET},       {"uts", CLONE_NEWUTS},  {"ipc", CLONE_NEWIPC},
      {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME}};
  int flags = 0;
  for (const auto& [name, flag] : kKinds) {
    std::string theirs_path = "/proc/" + std::to_string(init_pid) + "/ns/" + name;
    struct stat theirs {
    }, ours{};
    if (::stat(theirs_path.c_str(), &theirs) < 0) {
      if (errno == ENOENT && flag == CLONE_NEWTIME) continue;  // a kernel without time namespaces
      return Error::from_errno("stat " + theirs_path);
    }
    std::string ours_path = std::string("/proc/self/ns/") + name;
    if (::stat(ours_path.c_str(), &ours) < 0) return Error::from_errno("stat " + ours_path);
    if (theirs.st_ino != ours.st_ino || theirs.st_dev != ours.st_dev) flags |= flag;
  }
  return flags;
}

// The exec'd process, once its intermediate has forked it: our child, known by pidfd.
struct ExecdProcess {
  pid_t pid = -1;
  Fd pidfd;
};

// What exec has started; the destructor kills and reaps it unless committed.
struct ExecTransaction {
  std::optional<process::Spawned> intermediate;
  ExecdProcess process;
  bool committed = false;

  ~ExecTransaction() {
    if (process.pidfd && !committed) {
      (void)sys::pidfd_send_signal(process.pidfd.get(), SIGKILL);
      siginfo_t info{};
      (void)::waitid(P_PIDFD, static_cast<id_t>(process.pidfd.get()), &info, WEXITED);
    }
    reap_intermediate();
  }
  void reap_intermediate() {
    if (!intermediate) return;
    (void)sys::pidfd_send_signal(intermediate->pidfd.get(), SIGKILL);
    siginfo_t info{};
    (void)::waitid(P_PIDFD, static_cast<id_t>(intermediate->pidfd.get()), &info, WEXITED);
    intermediate.reset();
  }
};

struct ExecSetup {
  const spec::Spec& spec;
  const CgroupPlacement& cgroups;
  const process::SyncChannel& channel;
  const process::StepTracker& steps;
  ExecTransaction& tx;
};

// How the intermediate ended, when it closed the channel without an error or a pid.
Error describe_silent_exit(const ExecSetup& setup) {
  std::string during = setup.steps.current().empty() ? "" : " during: " + setup.steps.current();
  siginfo_t info{};
  const process::Spawned& child = *setup.tx.intermediate;
  if (::waitid(P_PIDFD, static_cast<id_t>(child.pidfd.get()), &info, WEXITED | WNOWAIT) < 0)
    return Error::from_errno("exec process vanished" + during);
  if (info.si_code == CLD_EXITED)
    return Error::msg("exec process exited with status " + std::to_string(info.si_status) + during);
  return Error::msg("exec process killed by signal " + std::to_string(info.si_status) + during);
}

// Places the intermediate, then serves the channel until the process has exec'd (the channel
// closes with its execve) or an error arrives.
Status drive_exec(ExecSetup& setup) {
  const process::Spawned& child = *setup.tx.intermediate;
  if (auto score = setup.spec.process->oom_score_adj)
    BURROW_TRY(linux::set_oom_score_adj(*score, child.pid));
  BURROW_TRY(setup.cgroups.add_process(child.pid));
  BURROW_TRY(setup.channel.send(process::Message::make(process::MessageType::cgroups_placed)));
  for (;;) {
    auto received = setup.channel.receive();
    if (!received) {
      if (received.error().code != EPIPE) return std::move(received).error();
      if (!setup.tx.process.pidfd) return describe_silent_exit(setup);
      return {};
    }
    process::Message& message = *received;
    switch (message.type) {
      case process::MessageType::error:
        return Error{message.code, "unable to start container process: " + message.payload};
      case process::MessageType::warning:
        spdlog::warn("exec: {}", message.payload);
        break;
      case process::MessageType::init_pid:
        if (message.fds.size() != 1) return Error::msg("exec: pid message without a pidfd", EPROTO);
        setup.tx.process.pid =
            static_cast<pid_t>(std::strtol(message.payload.c_str(), nullptr, 10));
        setup.tx.process.pidfd = std::move(message.fds.front());
        setup.tx.reap_intermediate();  // it exits right after sending
        break;
      default:
        return Error::msg(std::string("unexpected sync message ") +
                          process::message_type_name(message.type));
    }
  }
}

int exit_code(const siginfo_t& info) {
  if (info.si_code == CLD_EXITED) return info.si_status;
  return 128 + info.si_status;
}

// Forwards signals to the process until it exits; returns its exit code.
Result<int> forward_until_exit(const ExecdProcess& process, const sigset_t& signals) {
  Fd sfd(::signalfd(-1, &signals, SFD_CLOEXEC));
  if (!sfd) return Error::from_errno("signalfd");
  struct pollfd fds[2] = {{sfd.get(), POLLIN, 0}, {process.pidfd.get(), POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("poll");
    }
    if (fds[1].revents) {
      siginfo_t info{};
      if (::waitid(P_PIDFD, static_cast<id_t>(process.pidfd.get()), &info, WEXITED) < 0)
        return Error::from_errno("wait for the exec'd process");
      return exit_code(info);
    }
    struct signalfd_siginfo info {};
    ssize_t n = ::read(sfd.get(), &info, sizeof(info));
    if (n < 0 && errno == EINTR) continue;
    if (n != sizeof(info)) return Error::from_errno("read signalfd");
    int sig = static_cast<int>(info.ssi_signo);
    if (forwarded_signal(sig)) (void)sys::pidfd_send_signal(process.pidfd.get(), sig);
  }
}

struct Prepared {
  LoadedContainer container;
  spec::Spec spec;
  Fd init_pidfd;
};

Result<Prepared> prepare(const state::StateStore& store, const ExecOptions& options) {
  LoadedContainer container = BURROW_TRY(load_container(store, options.id));
  BURROW_TRY(check_execable(container.status, options.ignore_paused));
  if (options.process_file.empty() && options.args.empty())
    return Error::msg("process args cannot be empty");
  BURROW_TRY(check_unsupported_flags(options));
  spec::Spec spec = BURROW_TRY(spec::load_config(store.config_path(options.id)));
  spec.process = BURROW_TRY(exec_process_spec(spec, options));
  auto init = BURROW_TRY(open_init_pidfd(container.state));
  if (!init) return Error::msg("cannot exec in a stopped container");
  return Prepared{std::move(container), std::move(spec), std::move(*init)};
}

}  // namespace

Result<int> exec(const GlobalOptions& global, const ExecOptions& options) {
  state::StateStore store(global.root);
  // Held until the process has exec'd: a concurrent delete waits for us.
  std::optional<Prepared> prepared = BURROW_TRY(prepare(store, options));
  const spec::Spec& spec = prepared->spec;
  linux::CapabilitySet caps;
  if (spec.process->capabilities)
    caps = BURROW_TRY(linux::parse_capabilities(*spec.process->capabilities));
  CgroupPlacement cgroups = BURROW_TRY(CgroupPlacement::load(prepared->container.state));
  process::StepTracker steps = BURROW_TRY(process::StepTracker::make());
  auto [parent_end, child_end] = BURROW_TRY(process::SyncChannel::make_pair());
  process::ExecChildConfig config;
  config.spec = &spec;
  config.id = options.id;
  config.init_pidfd = prepared->init_pidfd.get();
  config.namespace_flags = BURROW_TRY(namespaces_to_join(prepared->container.state.init_pid));
  config.no_new_keyring = prepared->container.state.extra.value("no_new_keyring", false);
  config.preserve_fds = options.preserve_fds;
  config.capabilities = caps;
  config.steps = &steps;

  BlockedSignals blocked;
  ExecTransaction tx;
  process::SpawnRequest request{0, cgroups.unified_fd(), false};
  tx.intermediate =
      BURROW_TRY(process::spawn_child(request, [&, &child = child_end, &parent = parent_end] {
        parent.close();
        process::run_exec_child(config, child);
      }));
  child_end.close();
  ExecSetup setup{spec, cgroups, parent_end, steps, tx};
  BURROW_TRY(drive_exec(setup));
  if (!options.pid_file.empty())
    BURROW_TRY(file::write_atomic(options.pid_file, std::to_string(tx.process.pid), 0644));
  prepared.reset();  // the lock
  if (options.detach) {
    tx.committed = true;
    return 0;
  }
  int code = BURROW_TRY(forward_until_exit(tx.process, blocked.set()));
  tx.committed = true;
  return code;
}

}  // namespace burrow::container
