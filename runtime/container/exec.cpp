// burrow exec: a new process in a created or running container (DESIGN.md, "Process model";
// the child side is process/exec_child). The process joins every namespace of the init and its
// cgroups, gets the same isolation as the init, and is our child: in the foreground we forward
// signals to it and exit with its status; with --detach we return once it has exec'd.
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "base/file.hpp"
#include "base/phase_trace.hpp"
#include "base/syscalls.hpp"
#include "cgroups/sub_cgroups.hpp"
#include "container/cgroup_ops.hpp"
#include "container/console.hpp"
#include "container/exec_spec.hpp"
#include "container/foreground.hpp"
#include "container/loaded.hpp"
#include "container/operations.hpp"
#include "container/terminal_relay.hpp"
#include "linux/lsm.hpp"
#include "linux/process_attrs.hpp"
#include "linux/terminal.hpp"
#include "process/exec_child.hpp"
#include "process/spawn.hpp"
#include "seccomp/filter.hpp"
#include "seccomp/listener.hpp"
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

constexpr std::pair<const char*, int> kNamespaceKinds[] = {
    {"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},   {"pid", CLONE_NEWPID},
    {"net", CLONE_NEWNET},       {"uts", CLONE_NEWUTS},  {"ipc", CLONE_NEWIPC},
    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME}};

// "user,mnt,pid" for the debug log.
std::string namespace_names(int flags) {
  std::string names;
  for (const auto& [name, flag] : kNamespaceKinds) {
    if (flags & flag) names += (names.empty() ? "" : ",") + std::string(name);
  }
  return names.empty() ? "none" : names;
}

// "a b c" for the debug log.
std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

// The init's namespaces that are not ours: what the process joins. Namespaces the container
// shares with us are left alone (setns into our own user namespace would fail with EINVAL).
Result<int> namespaces_to_join(pid_t init_pid) {
  int flags = 0;
  for (const auto& [name, flag] : kNamespaceKinds) {
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
  const LoadedContainer& container;
  const process::SyncChannel& channel;
  const process::StepTracker& steps;
  ExecTransaction& tx;
  ConsoleHandoff console;  // --console-socket (connected before the process exists)
  Fd pending_listener;     // the process's seccomp notification fd, until its pid is known
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

// The exec'd process's seccomp notification fd goes to the agent at listenerPath on a
// connection of its own (runc: the setns process's), with that process's pid and the
// container's state; then the process, waiting for that, may go on.
Status hand_to_seccomp_agent(ExecSetup& setup, Fd listener) {
  const spec::Seccomp& config = *setup.spec.linux->seccomp;
  const state::ContainerState& container = setup.container.state;
  seccomp::ListenerState state;
  state.id = container.id;
  state.bundle = container.bundle;
  state.pid = setup.tx.process.pid;
  state.init_pid = container.init_pid;
  state.status = state::status_name(setup.container.status);
  state.annotations = container.annotations;
  state.metadata = config.listener_metadata;
  BURROW_TRY(seccomp::send_to_listener(config.listener_path, state, listener.get()));
  spdlog::debug("exec {}: seccomp notification fd of pid {} handed to {}", container.id, state.pid,
                config.listener_path);
  return setup.channel.send(process::Message::make(process::MessageType::seccomp_agent_done));
}

// Places the intermediate, then serves the channel until the process has exec'd (the channel
// closes with its execve) or an error arrives.
Status drive_exec(ExecSetup& setup) {
  const process::Spawned& child = *setup.tx.intermediate;
  if (auto score = setup.spec.process->oom_score_adj)
    BURROW_TRY(linux::set_oom_score_adj(*score, child.pid));
  BURROW_TRY(setup.cgroups.add_exec_process(child.pid, setup.container.state.init_pid));
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
        return setup.cgroups.explain_process_error(
            Error{message.code, "unable to start container process: " + message.payload},
            *setup.spec.process);
      case process::MessageType::warning:
        spdlog::warn("exec: {}", message.payload);
        break;
      case process::MessageType::console_master:
        BURROW_TRY(setup.console.take(message));
        break;
      case process::MessageType::init_pid:
        if (message.fds.size() != 1) return Error::msg("exec: pid message without a pidfd", EPROTO);
        setup.tx.process.pid =
            static_cast<pid_t>(std::strtol(message.payload.c_str(), nullptr, 10));
        setup.tx.process.pidfd = std::move(message.fds.front());
        setup.tx.reap_intermediate();  // it exits right after sending
        if (setup.pending_listener)
          BURROW_TRY(hand_to_seccomp_agent(setup, std::move(setup.pending_listener)));
        break;
      case process::MessageType::seccomp_listener:
        if (message.fds.size() != 1)
          return Error::msg("exec: seccomp_listener message without its fd", EPROTO);
        // The process may get here before its intermediate has sent its pid.
        if (setup.tx.process.pid < 0)
          setup.pending_listener = std::move(message.fds.front());
        else
          BURROW_TRY(hand_to_seccomp_agent(setup, std::move(message.fds.front())));
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

// Forwards signals to the process until it exits, relaying its terminal when it has one of
// ours; returns its exit code.
Result<int> forward_until_exit(const ExecdProcess& process, const sigset_t& signals,
                               Fd console_master) {
  Fd sfd(::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!sfd) return Error::from_errno("signalfd");
  std::optional<TerminalRelay> relay;
  if (console_master) relay.emplace(std::move(console_master));
  for (;;) {
    std::vector<struct pollfd> fds = {{sfd.get(), POLLIN, 0}, {process.pidfd.get(), POLLIN, 0}};
    if (relay && relay->reading_stdin()) fds.push_back({STDIN_FILENO, POLLIN, 0});
    if (relay && relay->reading_master()) fds.push_back({relay->master(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("poll");
    }
    for (size_t i = 2; i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == STDIN_FILENO)
        relay->forward_stdin();
      else
        relay->forward_master();
    }
    if (fds[1].revents) {
      siginfo_t info{};
      if (::waitid(P_PIDFD, static_cast<id_t>(process.pidfd.get()), &info, WEXITED) < 0)
        return Error::from_errno("wait for the exec'd process");
      if (relay) relay->drain_master();
      return exit_code(info);
    }
    if (!fds[0].revents) continue;
    struct signalfd_siginfo info {};
    ssize_t n = ::read(sfd.get(), &info, sizeof(info));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n != sizeof(info)) return Error::from_errno("read signalfd");
    int sig = static_cast<int>(info.ssi_signo);
    if (sig == SIGWINCH && relay) relay->copy_window_size();
    if (forwarded_signal(sig)) (void)sys::pidfd_send_signal(process.pidfd.get(), sig);
  }
}

struct Prepared {
  LoadedContainer container;
  spec::Spec spec;
  Fd init_pidfd;
};

// The container under its lock, not paused. With --ignore-paused a paused container is waited
// for: nothing of ours may enter its frozen cgroup, where it would freeze before the process runs
// (in D state on a v1 freezer) and exec with it. The lock is let go while waiting (`resume`
// takes it); once thawed, it is held until the process has exec'd, so a new `pause` waits for
// that and freezes the process with the rest.
Result<LoadedContainer> load_unpaused(const state::StateStore& store, const ExecOptions& options) {
  for (bool said = false;; said = true) {
    LoadedContainer container = BURROW_TRY(load_container(store, options.id));
    BURROW_TRY(check_execable(container.status, options.ignore_paused));
    if (container.status != state::ContainerStatus::paused) return container;
    if (!said)
      spdlog::debug(
          "exec {}: the container is paused; waiting for its resume before the process "
          "enters its cgroups",
          options.id);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Result<Prepared> prepare(const state::StateStore& store, const ExecOptions& options) {
  LoadedContainer container = BURROW_TRY(load_unpaused(store, options));
  if (options.process_file.empty() && options.args.empty())
    return Error::msg("process args cannot be empty");
  BURROW_TRY(cgroups::parse_sub_cgroups(options.cgroups));  // malformed: refused up front
  spec::Spec spec = BURROW_TRY(spec::load_config(store.config_path(options.id)));
  spec.process = BURROW_TRY(exec_process_spec(spec, options));
  // With the terminal of the final process (-t, or the process file's).
  BURROW_TRY(check_console_options(options.detach, spec.process->terminal, options.console_socket));
  size_terminal_like_caller(*spec.process, options.console_socket);
  // --apparmor / --process-label (or the container's own labels) need the LSM, as at create.
  BURROW_TRY(linux::check_lsm_labels(spec, linux::detect_host_lsms()));
  auto init = BURROW_TRY(open_init_pidfd(container.state));
  if (!init) return Error::msg("cannot exec in a stopped container");
  return Prepared{std::move(container), std::move(spec), std::move(*init)};
}

}  // namespace

Result<int> exec(const GlobalOptions& global, const ExecOptions& options) {
  PhaseTrace trace = PhaseTrace::from_env("exec " + options.id);
  trace.mark("load state and process");
  state::StateStore store(global.root);
  // Held until the process has exec'd: a concurrent delete waits for us.
  std::optional<Prepared> prepared = BURROW_TRY(prepare(store, options));
  const spec::Spec& spec = prepared->spec;
  linux::CapabilitySet caps;
  if (spec.process->capabilities)
    caps = BURROW_TRY(linux::parse_capabilities(*spec.process->capabilities));
  const state::ContainerState& container = prepared->container.state;
  spdlog::debug("exec {}: {} container, init pid {}; process: {}", options.id,
                state::status_name(prepared->container.status), container.init_pid,
                joined(spec.process->args));
  CgroupPlacement cgroups =
      BURROW_TRY(CgroupPlacement::load_for_exec(prepared->container.state, options.cgroups));
  for (const auto& [mount_point, dir] : cgroups.paths())
    spdlog::debug("exec {}: cgroup {}", options.id, dir);
  // Frozen without being paused (a FREEZING freezer, a frozen cgroup2 parent): refused, for the
  // same reason.
  BURROW_TRY_CTX(cgroups.check_not_frozen(), "cgroups");
  process::StepTracker steps = BURROW_TRY(process::StepTracker::make(&trace));
  auto [parent_end, child_end] = BURROW_TRY(process::SyncChannel::make_pair());
  process::ExecChildConfig config;
  config.spec = &spec;
  config.id = options.id;
  config.init_pidfd = prepared->init_pidfd.get();
  config.namespace_flags = BURROW_TRY(namespaces_to_join(container.init_pid));
  spdlog::debug("exec {}: joins the init's namespaces: {}", options.id,
                namespace_names(config.namespace_flags));
  // Outside a user namespace of the container's own, --cap cannot exceed our bounding set.
  if (!(config.namespace_flags & CLONE_NEWUSER))
    BURROW_TRY(linux::check_within_bounding_set(caps, BURROW_TRY(linux::current_bounding_set())));
  config.no_new_keyring = prepared->container.state.extra.value("no_new_keyring", false);
  config.preserve_fds = options.preserve_fds;
  config.capabilities = caps;
  config.steps = &steps;
  // The container's filter applies to every process in it, as in runc; with SCMP_ACT_NOTIFY
  // rules the process's own notification fd goes to the agent (hand_to_seccomp_agent).
  std::optional<seccomp::Filter> filter;
  if (spec.linux && spec.linux->seccomp)
    filter = BURROW_TRY_CTX(seccomp::compile(*spec.linux->seccomp), "config.json");
  config.seccomp_filter = filter ? &*filter : nullptr;

  ConsoleHandoff console = BURROW_TRY(ConsoleHandoff::connect(options.console_socket));
  BlockedSignals blocked;
  ExecTransaction tx;
  const pid_t init_pid = prepared->container.state.init_pid;
  auto run_child = [&, &child = child_end, &parent = parent_end] {
    parent.close();
    process::run_exec_child(config, child);
  };
  process::SpawnRequest request{0, cgroups.unified_fd(), false};
  auto spawned = process::spawn_child(request, run_child);
  // A delegated container that enabled controllers in its own cgroup v2 may not have processes
  // there (EBUSY): the process starts in the cgroup the init is in instead.
  Fd init_dir;
  if (!spawned && spawned.error().code == EBUSY && request.cgroup_fd >= 0) {
    init_dir = BURROW_TRY(cgroups.open_init_unified_dir(init_pid));
    request.cgroup_fd = init_dir.get();
    spawned = process::spawn_child(request, run_child);
  }
  tx.intermediate = BURROW_TRY(std::move(spawned));
  spdlog::debug("exec {}: intermediate pid {} cloned", options.id, tx.intermediate->pid);
  child_end.close();
  ExecSetup setup{spec,  cgroups, prepared->container, parent_end,
                  steps, tx,      std::move(console),  {}};
  BURROW_TRY(drive_exec(setup));
  const pid_t pid = tx.process.pid;
  spdlog::debug("exec {}: process pid {} has exec'd {}", options.id, pid, spec.process->args[0]);
  if (!options.pid_file.empty())
    BURROW_TRY(file::write_atomic(options.pid_file, std::to_string(tx.process.pid), 0644));
  prepared.reset();  // the lock
  if (options.detach) {
    tx.committed = true;
    spdlog::debug("exec {}: detached from process pid {}", options.id, pid);
    return 0;
  }
  int code =
      BURROW_TRY(forward_until_exit(tx.process, blocked.set(), setup.console.release_master()));
  tx.committed = true;
  spdlog::debug("exec {}: process pid {} ended with exit code {}", options.id, pid, code);
  return code;
}

}  // namespace burrow::container
