#include "process/init.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include <spdlog/spdlog.h>

#include "base/file.hpp"
#include "base/syscalls.hpp"
#include "linux/fds.hpp"
#include "linux/hostname.hpp"
#include "linux/keyring.hpp"
#include "linux/loopback.hpp"
#include "linux/lsm.hpp"
#include "linux/namespaces.hpp"
#include "linux/private_proc.hpp"
#include "linux/process_attrs.hpp"
#include "linux/rootfs.hpp"
#include "linux/sysctl.hpp"
#include "linux/terminal.hpp"
#include "process/hooks.hpp"
#include "process/init_rootfs.hpp"
#include "process/process_setup.hpp"

namespace burrow::process {
namespace {

// Everything the init keeps open across pivot_root, all close-on-exec.
struct InitFds {
  // A procfs of the container's own (linux/private_proc.hpp), to reopen the exec fifo and write
  // the LSM attributes after pivot_root; never the host's /proc, which this fd outlives.
  Fd proc;
  // The fifo's write end, open until execve closes it (close-on-exec): `start` waits for that.
  Fd exec_fifo_writer;
};

// The init's end of the channel. The parent places the init in the v1 cgroup hierarchies while
// the init works: a v1 migration waits for an RCU grace period (~20 ms here), and CLONE_INTO_CGROUP
// only exists for v2. So `cgroups_placed` may arrive ahead of any reply; it is remembered, and
// the init waits for it only where placement matters.
class ParentLink {
 public:
  explicit ParentLink(const SyncChannel& channel) : channel_(channel) {}

  const SyncChannel& channel() const { return channel_; }
  Status send(const Message& message) const { return channel_.send(message); }

  Result<Message> expect(MessageType type) {
    for (;;) {
      Message message = BURROW_TRY(channel_.expect_one_of(type, MessageType::cgroups_placed));
      if (message.type == type) return message;
      cgroups_placed_ = true;
    }
  }

  // Before the init forks, enters a cgroup namespace (its root is the current cgroup), or reports
  // ready (from then on its resources are accounted to the container).
  Status wait_for_cgroups() {
    if (cgroups_placed_) return {};
    BURROW_TRY(channel_.expect(MessageType::cgroups_placed));
    cgroups_placed_ = true;
    return {};
  }

 private:
  const SyncChannel& channel_;
  bool cgroups_placed_ = false;
};

// The init's namespaces, final from here on, as fds for the host side (hooks and network helpers
// enter them): once the init is non-dumpable the host may not open /proc/<pid>/ns/*, but a
// process may always open its own.
Status send_namespace_fds(const InitConfig& config, const ParentLink& parent) {
  Message message = Message::make(MessageType::namespace_fds);
  for (const auto& ns : config.spec->linux->namespaces) {
    std::string name = linux::proc_ns_name(ns.type);
    Fd fd = BURROW_TRY(sys::open_path("/proc/self/ns/" + name, O_RDONLY));
    message.payload += (message.payload.empty() ? "" : ",") + name;
    message.fds.push_back(std::move(fd));
  }
  return parent.send(message);
}

Status join_namespaces(const InitConfig& config) {
  for (const auto& joined : config.joined) {
    config.steps->enter("join namespaces");
    BURROW_TRY(linux::join_namespace(joined.fd.get(), joined.type, joined.path));
  }
  return {};
}

Status set_dumpable(bool dumpable) {
  if (::prctl(PR_SET_DUMPABLE, dumpable ? 1 : 0, 0, 0, 0) < 0)
    return Error::from_errno(dumpable ? "set dumpable for the id maps" : "set non-dumpable");
  return {};
}

// New namespaces that could not be made at clone time (a namespace had to be joined first).
// A new pid namespace only applies to children, so the init is then a forked grandchild; the
// intermediate reports its pid and exits.
Status unshare_namespaces(const InitConfig& config, ParentLink& parent) {
  if (config.unshare_flags & CLONE_NEWUSER) {
    config.steps->enter("unshare user namespace");
    if (::unshare(CLONE_NEWUSER) < 0) return Error::from_errno("unshare user namespace");
    if (config.dumpable_for_id_maps) BURROW_TRY(set_dumpable(true));
    BURROW_TRY(parent.send(Message::make(MessageType::need_id_maps)));
    BURROW_TRY(parent.expect(MessageType::id_maps_done));
    if (config.dumpable_for_id_maps) BURROW_TRY(set_dumpable(false));
  }
  int rest = config.unshare_flags & ~(CLONE_NEWUSER | CLONE_NEWCGROUP);
  if (rest == 0) return {};
  config.steps->enter("unshare namespaces");
  if (::unshare(rest) < 0) return Error::from_errno("unshare namespaces");
  if (!(rest & CLONE_NEWPID)) return {};
  BURROW_TRY(parent.wait_for_cgroups());  // the forked init inherits them
  pid_t child = ::fork();
  if (child < 0) return Error::from_errno("fork into the new pid namespace");
  if (child > 0) {
    (void)parent.send(Message::make(MessageType::init_pid, std::to_string(child)));
    ::_exit(0);
  }
  return {};
}

// In a new or joined user namespace we start as whatever our host uid maps to (the overflow uid
// when unmapped); become its root.
Status become_namespace_root(const InitConfig& config) {
  if (!config.in_user_namespace) return {};
  if (::setresgid(0, 0, 0) < 0) return Error::from_errno("setresgid 0 in the user namespace");
  if (::setresuid(0, 0, 0) < 0) return Error::from_errno("setresuid 0 in the user namespace");
  return {};
}

// The rootfs code names fds as /proc/self/fd/N: /proc must be procfs here (a joined mount
// namespace's /proc is someone else's choice). The init keeps a procfs of its own, made while
// the host's /proc is still mounted here (the kernel's condition in a user namespace).
Status open_init_fds(InitFds& fds) {
  Fd proc = BURROW_TRY(sys::open_path("/proc", O_PATH | O_DIRECTORY));
  struct statfs fs {};
  if (::fstatfs(proc.get(), &fs) < 0) return Error::from_errno("statfs /proc");
  if (fs.f_type != PROC_SUPER_MAGIC) return Error::msg("/proc is not procfs", EXDEV);
  fds.proc = BURROW_TRY(linux::open_private_procfs());
  return {};
}

// Mounts done, pivot_root next: the parent runs prestart and createRuntime hooks (in the
// runtime's namespaces) and sends the state; then createContainer hooks run here, in the
// container's namespaces with the host's filesystem still visible, as the runtime-spec says.
Status run_create_hooks(const InitConfig& config, const linux::RootfsConfig& rootfs,
                        ParentLink& parent) {
  const auto& hooks = config.spec->hooks;
  if (!hooks ||
      (hooks->prestart.empty() && hooks->create_runtime.empty() && hooks->create_container.empty()))
    return {};
  config.steps->enter("prestart and createRuntime hooks");
  BURROW_TRY(parent.send(Message::make(MessageType::run_hooks)));
  Message done = BURROW_TRY(parent.expect(MessageType::hooks_done));
  config.steps->enter("createContainer hooks");
  // runc runs them from the rootfs (its host path; pivot_root comes after).
  Fd root = BURROW_TRY(linux::open_rootfs(rootfs));
  if (::fchdir(root.get()) < 0) return Error::from_errno("chdir to rootfs " + config.rootfs);
  return run_hooks(hooks->create_container, "createContainer", done.payload);
}

// process.terminal: a pty of the container's devpts becomes /dev/console and the init's
// controlling terminal and stdio; the host gets the master. Without one the init still leads a
// session of its own (runc).
Status set_up_terminal(const InitConfig& config, ParentLink& parent) {
  const spec::Process& process = *config.spec->process;
  if (!process.terminal) {
    config.steps->enter("new session");
    return linux::become_session_leader();
  }
  config.steps->enter("terminal");
  linux::Pty pty = BURROW_TRY(linux::open_container_pty(process.console_size));
  BURROW_TRY_CTX(linux::bind_console(pty.slave.get()), "process.terminal");
  Message message = Message::make(MessageType::console_master, pty.slave_path);
  message.fds.push_back(std::move(pty.master));
  BURROW_TRY(parent.send(message));
  return linux::make_controlling_terminal(pty.slave.get(), pty.slave_path);
}

Status run_steps(const InitConfig& config, ParentLink& parent, InitFds& fds) {
  const spec::Spec& spec = *config.spec;
  const StepTracker& steps = *config.steps;
  steps.enter("close inherited fds");
  std::vector<int> keep{parent.channel().fd(), config.exec_fifo_fd};
  for (const auto& joined : config.joined) keep.push_back(joined.fd.get());
  for (const auto& [index, fd] : config.detached_mount_fds) keep.push_back(fd);
  if (config.idmapped_rootfs_fd >= 0) keep.push_back(config.idmapped_rootfs_fd);
  BURROW_TRY(linux::close_inherited_fds(config.preserve_fds, keep));
  steps.enter("wait for parent setup");
  BURROW_TRY(parent.expect(MessageType::setup_done));
  if (config.dumpable_for_id_maps) BURROW_TRY(set_dumpable(false));  // the maps are written
  BURROW_TRY(join_namespaces(config));
  BURROW_TRY(unshare_namespaces(config, parent));
  steps.enter("become namespace root");
  BURROW_TRY(become_namespace_root(config));
  if (config.new_network_namespace) {
    steps.enter("loopback up");
    BURROW_TRY(linux::bring_loopback_up());
  }
  if (!config.no_new_keyring) {
    steps.enter("session keyring");
    BURROW_TRY(linux::join_new_session_keyring("_ses." + config.id));
  }
  if (config.new_time_namespace) {
    steps.enter("time namespace");
    BURROW_TRY(linux::enter_new_time_namespace(spec.linux->time_offsets, config.in_user_namespace));
  }
  if (config.new_cgroup_namespace) {
    steps.enter("unshare cgroup namespace");
    BURROW_TRY(parent.wait_for_cgroups());
    if (::unshare(CLONE_NEWCGROUP) < 0) return Error::from_errno("unshare cgroup namespace");
  }
  steps.enter("send namespace fds");
  BURROW_TRY(send_namespace_fds(config, parent));
  steps.enter("open private proc");
  BURROW_TRY(open_init_fds(fds));
  RootFilesystem root =
      BURROW_TRY(enter_root_filesystem(config, [&](const linux::RootfsConfig& rootfs) {
        return run_create_hooks(config, rootfs, parent);
      }));
  // A missing cwd is made by the container's root, before the rootfs may turn read-only (runc).
  steps.enter("make cwd");
  if (!spec.process->cwd.empty()) BURROW_TRY(linux::make_cwd(spec.process->cwd));
  BURROW_TRY(set_up_terminal(config, parent));
  steps.enter("hostname");
  if (!spec.hostname.empty()) BURROW_TRY(linux::set_hostname(spec.hostname));
  if (!spec.domainname.empty()) BURROW_TRY(linux::set_domainname(spec.domainname));
  steps.enter("sysctl");
  if (spec.linux && !spec.linux->sysctl.empty())
    BURROW_TRY(linux::apply_sysctls(spec.linux->sysctl));
  return finish_root_filesystem(config, root);
}

Status run_start_container_hooks(const InitConfig& config) {
  const spec::Spec& spec = *config.spec;
  if (!spec.hooks || spec.hooks->start_container.empty()) return {};
  config.steps->enter("startContainer hooks");
  // As runc: the state as the container sees itself (its own pid).
  HookState state{spec.oci_version, config.id,     "created",
                  ::getpid(),       config.bundle, spec.annotations};
  return run_hooks(spec.hooks->start_container, "startContainer", hook_state_json(state));
}

// Tells the parent we are ready, then blocks until `burrow start` opens the fifo's read end.
Status wait_for_start(const InitConfig& config, ParentLink& parent, InitFds& fds) {
  config.steps->enter("wait for cgroup placement");
  BURROW_TRY(parent.wait_for_cgroups());
  config.steps->enter("ready");
  BURROW_TRY(parent.send(Message::make(MessageType::ready)));
  // Not before the container is on record: a create killed before it saved leaves no init
  // waiting forever on the fifo (the channel reaches EOF and this fails).
  config.steps->enter("wait until recorded");
  BURROW_TRY(parent.expect(MessageType::recorded));
  std::string fifo = "self/fd/" + std::to_string(config.exec_fifo_fd);
  Fd writer(::openat(fds.proc.get(), fifo.c_str(), O_WRONLY | O_CLOEXEC));
  if (!writer) return Error::from_errno("open exec fifo");
  // `start` has opened the fifo: startContainer hooks run now, in the container, and `start`
  // reads "0", or "1" and why they failed.
  Status hooks = run_start_container_hooks(config);
  std::string verdict = hooks ? "0" : "1" + hooks.error().message;
  if (::write(writer.get(), verdict.data(), verdict.size()) != static_cast<ssize_t>(verdict.size()))
    return Error::from_errno("write exec fifo");
  if (!hooks) return std::move(hooks).error();
  fds.exec_fifo_writer = std::move(writer);
  return {};
}

}  // namespace

void run_init(const InitConfig& config, const SyncChannel& channel) {
  // The log's fd is closed with the other inherited ones and its number may be reused: the init
  // never logs. Errors and warnings travel to the parent as messages.
  spdlog::set_level(spdlog::level::off);
  // Non-dumpable before anything else: once the init joins a namespace, the processes in it must
  // not ptrace or open /proc of a process that still has host resources (CVE-2019-5736). As root
  // the parent writes our id maps regardless. Rootless, the map writers need a dumpable target:
  // the init stays dumpable only until setup_done (it runs nothing of the container's before).
  if (!config.dumpable_for_id_maps) {
    if (auto set = set_dumpable(false); !set) {
      channel.send_error(set.error());
      ::_exit(1);
    }
  }
  InitFds fds;
  ParentLink parent(channel);
  auto prepared = [&]() -> Result<ExecPlan> {
    BURROW_TRY(run_steps(config, parent, fds));
    // The process attributes act within the container's cgroups: a realtime task cannot move
    // into a cpu cgroup without realtime time (EINVAL), and a memory policy is bounded by the
    // cpuset's mems. So the init is placed before it sets them.
    config.steps->enter("wait for cgroup placement");
    BURROW_TRY(parent.wait_for_cgroups());
    const spec::Spec& spec = *config.spec;
    ProcessSetup setup{&*spec.process, nullptr, config.capabilities, config.preserve_fds,
                       config.steps};
    if (spec.linux && spec.linux->personality) setup.personality = &*spec.linux->personality;
    if (spec.linux && spec.linux->memory_policy) setup.memory_policy = &*spec.linux->memory_policy;
    setup.seccomp = config.seccomp_filter;
    ExecPlan plan = BURROW_TRY(finish_process_setup(setup, channel));
    // Under no_new_privs the init loads the filter before `ready`, as runc 1.1 does: the
    // startContainer hooks, run once `start` opens the fifo, run under it; and a listener's fd
    // must reach the parent while it still listens (process_setup.hpp, SeccompPoint).
    if (seccomp_at(setup, SeccompPoint::before_ready) ||
        seccomp_at(setup, SeccompPoint::before_execve))
      BURROW_TRY(install_seccomp(*setup.seccomp, *setup.steps, channel));
    // For the next execve; before ready, so a failure reaches create (as in runc, the
    // startContainer hooks run under them too).
    config.steps->enter("apparmor profile and selinux label");
    BURROW_TRY(linux::apply_exec_labels(
        fds.proc.get(), {spec.process->apparmor_profile, spec.process->selinux_label}));
    return plan;
  }();
  if (!prepared) {
    channel.send_error(prepared.error());
    ::_exit(1);
  }
  auto started = wait_for_start(config, parent, fds);
  if (!started) {
    // EPIPE: the parent died before recording the container; nobody is left to tell.
    if (started.error().code != EPIPE)
      std::fprintf(stderr, "burrow: container init: %s\n", started.error().message.c_str());
    ::_exit(1);
  }
  Fd fifo_writer = std::move(fds.exec_fifo_writer);
  fds = InitFds{};
  exec_process(config.spec->process->args, *prepared);
}

}  // namespace burrow::process
