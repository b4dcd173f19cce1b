#include "container/create_container.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <optional>
#include <set>
#include <vector>

#include <spdlog/spdlog.h>

#include "base/file.hpp"
#include "base/phase_trace.hpp"
#include "base/syscalls.hpp"
#include "container/cgroup_delegation.hpp"
#include "container/cgroup_ops.hpp"
#include "container/console.hpp"
#include "container/loaded.hpp"
#include "container/namespace_plan.hpp"
#include "container/network_setup.hpp"
#include "container/rootless.hpp"
#include "container/sandbox.hpp"
#include "container/userns_auto.hpp"
#include "linux/bind_sources.hpp"
#include "linux/capabilities.hpp"
#include "linux/fds.hpp"
#include "linux/host_sysfs.hpp"
#include "linux/idmap.hpp"
#include "linux/idmapped_mount.hpp"
#include "linux/idmapped_overlay.hpp"
#include "linux/lsm.hpp"
#include "linux/mount_detour.hpp"
#include "linux/process_attrs.hpp"
#include "linux/terminal.hpp"
#include "process/hooks.hpp"
#include "process/init.hpp"
#include "process/spawn.hpp"
#include "seccomp/filter.hpp"
#include "seccomp/listener.hpp"
#include "spec/parse.hpp"
#include "spec/validate.hpp"
#include "state/store.hpp"

namespace burrow::container {
namespace {

// What create has made so far; the destructor undoes all of it unless committed.
struct CreateTransaction {
  const state::StateStore* store = nullptr;
  std::optional<state::ContainerLock> lock;
  std::optional<CgroupPlacement> cgroups;
  std::optional<process::Spawned> child;  // what clone3 made (the init, or the intermediate)
  Fd init_pidfd;                          // the init's pidfd when it is a grandchild
  std::optional<network::RunningNetwork> network;
  std::optional<state::IdLease> id_range;  // run.burrow.userns=auto
  std::string id;
  bool committed = false;

  ~CreateTransaction() {
    if (committed) return;
    if (init_pidfd) (void)sys::pidfd_send_signal(init_pidfd.get(), SIGKILL);
    if (child) {
      (void)sys::pidfd_send_signal(child->pidfd.get(), SIGKILL);
      ::waitpid(child->pid, nullptr, 0);
    }
    if (init_pidfd) (void)wait_for_exit(init_pidfd.get(), 5000);
    if (network) (void)network::stop_network(*network);
    if (cgroups) (void)cgroups->destroy();
    if (lock) (void)store->destroy(std::move(*lock));
    if (id_range) (void)return_id_range(store->root(), id, id_range->host_uid);
  }
};

Result<std::string> absolute_rootfs(const spec::Spec& spec, const std::string& bundle) {
  std::string path = spec.root.path;
  if (path.empty() || path[0] != '/') path = bundle + "/" + path;
  char resolved[PATH_MAX];
  if (!::realpath(path.c_str(), resolved)) return Error::from_errno("root.path " + path);
  return std::string(resolved);
}

// How the init ended, when it closed the channel without an error message.
Error describe_silent_exit(const process::Spawned& child, const process::StepTracker& steps) {
  siginfo_t info{};
  std::string during = steps.current().empty() ? "" : " during: " + steps.current();
  if (::waitid(P_PIDFD, static_cast<id_t>(child.pidfd.get()), &info, WEXITED) < 0)
    return Error::from_errno("container init vanished" + during);
  if (info.si_code == CLD_EXITED)
    return Error::msg("container init exited with status " + std::to_string(info.si_status) +
                      during);
  return Error::msg("container init killed by signal " + std::to_string(info.si_status) + during);
}

struct ParentSide {
  const spec::Spec& spec;
  const NamespacePlan& plan;
  CreateTransaction& tx;
  const process::SyncChannel& channel;
  const process::StepTracker& steps;
  pid_t init_pid = -1;
  std::map<std::string, Fd> namespaces;
  process::HookState hook_state;  // status "creating"; the pid is filled in when known
  ConsoleHandoff console;         // --console-socket (connected before the init exists)
  const CreateOptions* options = nullptr;
  bool rootless = false;  // unprivileged: id maps via newuidmap unless only our own ids
  const PhaseTrace* trace = nullptr;
};

// The init has its mounts and waits before pivot_root: prestart (deprecated, same point) and
// createRuntime hooks run here, in the runtime's namespaces; the init gets the state back for
// its createContainer hooks.
Status run_runtime_hooks(ParentSide& side) {
  side.hook_state.pid = side.init_pid;
  std::string state = process::hook_state_json(side.hook_state);
  if (const auto& hooks = side.spec.hooks) {
    BURROW_TRY(process::run_hooks(hooks->prestart, "prestart", state));
    BURROW_TRY(process::run_hooks(hooks->create_runtime, "createRuntime", state));
  }
  return side.channel.send(process::Message::make(process::MessageType::hooks_done, state));
}

// The init's seccomp notification fd goes to the agent at linux.seccomp.listenerPath.
Status hand_to_seccomp_agent(const ParentSide& side, const process::Message& message) {
  if (message.fds.size() != 1)
    return Error::msg("seccomp_listener: " + std::to_string(message.fds.size()) + " fds", EPROTO);
  const spec::Seccomp& config = *side.spec.linux->seccomp;
  seccomp::ListenerState state;
  state.id = side.options->id;
  state.bundle = side.options->bundle;
  state.pid = side.init_pid;
  state.annotations = side.spec.annotations;
  state.metadata = config.listener_metadata;
  return seccomp::send_to_listener(config.listener_path, state, message.fds[0].get());
}

// Keeps the namespace fds the init sent, named as in its payload ("net,mnt,...").
Status keep_namespace_fds(ParentSide& side, process::Message& message) {
  std::vector<std::string> names;
  for (size_t start = 0, comma; start <= message.payload.size(); start = comma + 1) {
    comma = message.payload.find(',', start);
    if (comma == std::string::npos) comma = message.payload.size();
    names.push_back(message.payload.substr(start, comma - start));
  }
  if (names.size() != message.fds.size())
    return Error::msg("namespace_fds: " + std::to_string(names.size()) + " names for " +
                          std::to_string(message.fds.size()) + " fds",
                      EPROTO);
  std::string described;
  for (size_t i = 0; i < names.size(); ++i) {
    char target[64] = {};
    (void)!::readlink(sys::fd_path(message.fds[i].get()).c_str(), target, sizeof(target) - 1);
    described += (described.empty() ? "" : " ") + std::string(target);
    side.namespaces[names[i]] = std::move(message.fds[i]);
  }
  spdlog::debug("container init namespaces: {}", described);
  return {};
}

Status write_maps(const ParentSide& side, pid_t pid) {
  const auto& uids = side.spec.linux->uid_mappings;
  const auto& gids = side.spec.linux->gid_mappings;
  auto writer = linux::choose_id_map_writer(side.rootless, uids, gids, ::geteuid(), ::getegid());
  return linux::write_id_maps_with(writer, pid, uids, gids);
}

// The init's `error` message, with the cgroup's part of the reason where it has one.
Error init_error(const ParentSide& side, const process::Message& message) {
  Error error{message.code, "container init: " + message.payload};
  return side.tx.cgroups->explain_process_error(std::move(error), *side.spec.process);
}

// When our side of the handshake fails because the init has already failed and exited, the
// init's own error, queued on the channel, is the one that says why.
Error init_error_or(const ParentSide& side, Error ours) {
  for (;;) {  // warnings may come first
    struct pollfd pending = {side.channel.fd(), POLLIN, 0};
    if (::poll(&pending, 1, 0) != 1) return ours;
    auto message = side.channel.receive();
    if (!message) {
      if (message.error().code == EPIPE) return describe_silent_exit(*side.tx.child, side.steps);
      return ours;
    }
    if (message->type == process::MessageType::error) return init_error(side, *message);
    if (message->type == process::MessageType::warning)
      spdlog::warn("container init: {}", message->payload);
  }
}

// What the parent does for the init unasked: id maps made at clone, then cgroup placement. The
// placement is slow on v1 (an RCU grace period per create): the init builds its rootfs meanwhile
// and waits for cgroups_placed only where placement matters (process/init.cpp, ParentLink).
Status set_up_init(const ParentSide& side, pid_t pid) {
  if (side.plan.clone_flags & CLONE_NEWUSER) BURROW_TRY(write_maps(side, pid));
  // From the host side: inside a new user namespace the init could not lower it (runc's nsexec
  // also sets it before entering namespaces). A forked init inherits it.
  if (auto score = side.spec.process->oom_score_adj)
    BURROW_TRY(linux::set_oom_score_adj(*score, pid));
  BURROW_TRY(side.channel.send(process::Message::make(process::MessageType::setup_done)));
  if (side.trace) side.trace->mark("parent: place init in cgroups");
  BURROW_TRY(side.tx.cgroups->add_process(pid));
  return side.channel.send(process::Message::make(process::MessageType::cgroups_placed));
}

// Serves the child's requests until it reports ready (or fails).
Status drive_init(ParentSide& side) {
  const process::Spawned& child = *side.tx.child;
  side.init_pid = child.pid;
  if (auto done = set_up_init(side, child.pid); !done)
    return init_error_or(side, std::move(done).error());
  for (;;) {
    auto received = side.channel.receive();
    if (!received) {
      if (received.error().code == EPIPE) return describe_silent_exit(child, side.steps);
      return std::move(received).error();
    }
    process::Message& message = *received;
    if (side.trace && side.trace->enabled())
      side.trace->mark(
          (std::string("parent: ") + process::message_type_name(message.type)).c_str());
    switch (message.type) {
      case process::MessageType::error:
        return init_error(side, message);
      case process::MessageType::need_id_maps:
        if (auto written = write_maps(side, child.pid); !written)
          return init_error_or(side, std::move(written).error());
        BURROW_TRY(side.channel.send(process::Message::make(process::MessageType::id_maps_done)));
        break;
      case process::MessageType::init_pid:
        side.init_pid = static_cast<pid_t>(std::strtol(message.payload.c_str(), nullptr, 10));
        side.tx.init_pidfd = BURROW_TRY(sys::pidfd_open(side.init_pid));
        break;
      case process::MessageType::ready:
        return {};
      case process::MessageType::namespace_fds:
        BURROW_TRY(keep_namespace_fds(side, message));
        break;
      case process::MessageType::run_hooks:
        BURROW_TRY(run_runtime_hooks(side));
        break;
      case process::MessageType::console_master:
        BURROW_TRY(side.console.take(message));
        break;
      case process::MessageType::warning:
        spdlog::warn("container init: {}", message.payload);
        break;
      case process::MessageType::seccomp_listener:
        if (auto handed = hand_to_seccomp_agent(side, message); !handed)
          return init_error_or(side, std::move(handed).error());
        break;
      default:
        return Error::msg(std::string("unexpected sync message ") +
                          process::message_type_name(message.type));
    }
  }
}

Result<state::ContainerState> initial_state(const spec::Spec& spec, const CreateOptions& options,
                                            const std::string& rootfs) {
  state::ContainerState st;
  st.oci_version = spec.oci_version;
  st.id = options.id;
  st.bundle = options.bundle;
  st.rootfs = rootfs;
  st.created = state::now_rfc3339_nano();
  st.annotations = spec.annotations;
  st.owner = state::user_name(::geteuid());
  return st;
}

// runc resolves a relative bind source against the bundle directory.
void resolve_bind_sources(spec::Spec& spec, const std::string& bundle) {
  for (auto& mount : spec.mounts) {
    if (mount.is_bind() && !mount.source.empty() && mount.source[0] != '/')
      mount.source = bundle + "/" + mount.source;
  }
}

// Sandbox mode rewrites the stored copy: exec, update and state then see what the container
// really runs with.
Status sandbox_stored_config(const std::string& path, const GlobalOptions& global) {
  std::string text = BURROW_TRY(file::read(path));
  nlohmann::json config = nlohmann::json::parse(text, nullptr, false);
  if (config.is_discarded()) return {};  // the parser names the error next
  if (!BURROW_TRY_CTX(sandbox_requested(global, config), "config.json")) return {};
  if (global.is_rootless || global.in_user_namespace)
    return Error::msg(
        "sandbox mode: needs a root runtime (a rootless container is in the caller's user "
        "namespace already)",
        EINVAL);
  SandboxRewrite rewrite =
      BURROW_TRY_CTX(sandbox_config(config, detect_sandbox_host()), "config.json");
  for (const auto& warning : rewrite.warnings) spdlog::warn("{}", warning);
  return file::write_atomic(path, config.dump(), 0600);
}

Result<spec::Spec> load_bundle_config(const state::StateStore& store, CreateTransaction& tx,
                                      const CreateOptions& options, const GlobalOptions& global) {
  std::string bundle_config = options.bundle + "/config.json";
  if (::access(bundle_config.c_str(), F_OK) < 0)
    return Error::from_errno("JSON specification file config.json not found in " + options.bundle);
  BURROW_TRY(store.write_config(*tx.lock, bundle_config));
  BURROW_TRY(sandbox_stored_config(store.config_path(options.id), global));
  spec::Spec spec = BURROW_TRY(spec::load_config(store.config_path(options.id)));
  // Before validation: the leased range becomes the config's user namespace maps.
  tx.id = options.id;
  tx.id_range = BURROW_TRY_CTX(
      lease_id_range(spec, global, options.id, store.config_path(options.id)), "config.json");
  BURROW_TRY(spec::validate_config(spec, {options.bundle, global.is_rootless}));
  // Validation is pure; whether the host runs the LSM a label needs is checked here.
  BURROW_TRY_CTX(linux::check_lsm_labels(spec, linux::detect_host_lsms()), "config.json");
  resolve_bind_sources(spec, options.bundle);
  return spec;
}

// A container in a user namespace gets its bind sources opened from the host side (runc does
// the same): its root may not reach them. The mounts prepared otherwise are left out.
Result<std::vector<linux::DetachedBind>> open_bind_sources(const spec::Spec& spec,
                                                           const NamespacePlan& plan,
                                                           const NetworkPlan& network) {
  if (!plan.new_user && !plan.joined_user) return std::vector<linux::DetachedBind>();
  std::set<size_t> prepared;
  for (size_t i = 0; i < spec.mounts.size(); ++i)
    if (spec.mounts[i].is_idmapped()) prepared.insert(i);
  if (network.resolv_conf) prepared.insert(network.resolv_conf_index);
  return linux::open_bind_sources(spec, prepared);
}

// How the rootfs of a container with a leased range keeps its owners inside: an idmapped clone
// of it, or, for an engine's overlay (which this kernel cannot idmap), the overlay's layers,
// idmapped and overlaid again on the detour (linux/idmapped_overlay.hpp).
struct RootfsView {
  std::optional<Fd> idmapped;
  std::optional<linux::OverlayLayers> overlay;
  Fd layer_idmap;  // with `overlay`: the layers' user namespace
};

Result<RootfsView> view_rootfs(const spec::Spec& spec, const std::string& rootfs,
                               const state::IdLease& range) {
  RootfsView view;
  view.idmapped = BURROW_TRY(linux::prepare_idmapped_rootfs(spec, rootfs));
  if (view.idmapped) return view;
  view.overlay = BURROW_TRY(linux::overlay_layers_at(rootfs));
  if (view.overlay) {
    view.layer_idmap = BURROW_TRY(linux::make_layer_idmap(spec));
    return view;
  }
  spdlog::warn(
      "rootfs {}: its filesystem cannot be idmapped: files keep their host owners (outside the "
      "leased range {}..{} they show as nobody)",
      rootfs, range.host_uid, range.host_uid + state::kIdRangeSize - 1);
  return view;
}

// The host uid and gid container root is (0 when unmapped: then nothing is searchable for it).
std::pair<uid_t, gid_t> container_root_on_host(const spec::Spec& spec) {
  auto host_of = [](const std::vector<spec::IdMapping>& mappings) -> uint32_t {
    for (const auto& m : mappings)
      if (m.container_id == 0 && m.size > 0) return m.host_id;
    return 0;
  };
  if (!spec.linux) return {0, 0};
  return {host_of(spec.linux->uid_mappings), host_of(spec.linux->gid_mappings)};
}

// A root runtime making an init in a new user and mount namespace takes a detour through a
// private mount namespace (linux/mount_detour.hpp) for what the init could not do itself:
//  - the host's /sys, staged with its masks, so the init's copy has them locked
//    (linux/host_sysfs.hpp);
//  - the rootfs, when container root could not search its path (dockerd's, containerd's and
//    podman's are below root-only dirs): mounted on the staging dir (idmapped where it can be),
//    which the init reaches from its cwd.
// The caller leaves the detour once the init is cloned. Without either, nothing is staged.
Result<std::optional<linux::MountDetour>> stage_on_detour(
    const spec::Spec& spec, const NamespacePlan& plan, const std::string& state_dir,
    std::vector<linux::IdmappedMount>& host_sysfs, RootfsView& view, process::InitConfig& config) {
  std::optional<linux::MountDetour> detour;
  bool new_mount_namespace = (plan.clone_flags | plan.unshare_flags) & CLONE_NEWNS;
  bool root_runtime = !config.runtime_in_user_namespace && ::geteuid() == 0;
  auto [uid, gid] = container_root_on_host(spec);
  bool stage_rootfs = new_mount_namespace && root_runtime && config.in_user_namespace &&
                      (uid == 0 || view.overlay || !linux::searchable_by(config.rootfs, uid, gid));
  bool stage_sysfs = new_mount_namespace && !host_sysfs.empty();
  if (!stage_sysfs)
    for (const auto& mount : host_sysfs) config.detached_mount_fds[mount.index] = mount.fd.get();
  if (!stage_rootfs && view.idmapped) config.idmapped_rootfs_fd = view.idmapped->get();
  if (!stage_rootfs && !stage_sysfs) return detour;

  // Searchable by anyone, reachable by no one else: its parent is the root-only state dir.
  std::string staging = state_dir + "/detour";
  for (const auto& [dir, mode] :
       {std::pair{staging, 0711}, std::pair{staging + "/" + linux::kStagedRootfs, 0700},
        std::pair{staging + "/" + linux::kStagedSysfs, 0700}})
    if (::mkdir(dir.c_str(), static_cast<mode_t>(mode)) < 0 && errno != EEXIST)
      return Error::from_errno("create " + dir);
  detour.emplace(BURROW_TRY(linux::MountDetour::enter()));
  if (stage_rootfs) {
    std::string target = staging + "/" + linux::kStagedRootfs;
    if (view.overlay) {
      std::string layers = staging + "/layers";
      if (::mkdir(layers.c_str(), 0700) < 0 && errno != EEXIST)
        return Error::from_errno("create " + layers);
      BURROW_TRY_CTX(
          linux::mount_idmapped_overlay(*view.overlay, view.layer_idmap.get(), layers, target),
          "rootfs " + config.rootfs);
    } else {
      int rc = view.idmapped ? ::move_mount(view.idmapped->get(), "", AT_FDCWD, target.c_str(),
                                            MOVE_MOUNT_F_EMPTY_PATH)
                             : ::mount(config.rootfs.c_str(), target.c_str(), nullptr,
                                       MS_BIND | MS_REC, nullptr);
      if (rc < 0) return Error::from_errno("stage rootfs " + config.rootfs + " on " + target);
    }
    config.staged_rootfs = true;
  }
  if (stage_sysfs) {
    BURROW_TRY(
        linux::stage_host_sysfs(spec, host_sysfs.front(), staging + "/" + linux::kStagedSysfs));
    for (const auto& mount : host_sysfs) config.staged_sysfs_mounts.push_back(mount.index);
  }
  if (::chdir(staging.c_str()) < 0) return Error::from_errno("enter " + staging);
  config.staging_dir = staging;
  return detour;
}

}  // namespace

Result<CreatedContainer> create_container(const GlobalOptions& global,
                                          const CreateOptions& options) {
  state::StateStore store(global.root);
  CreateTransaction tx;
  tx.store = &store;
  PhaseTrace trace = PhaseTrace::from_env("create " + options.id);
  trace.mark("lock state dir");
  if (global.is_rootless) BURROW_TRY(check_rootless_state_root(global.root, ::geteuid()));
  tx.lock = BURROW_TRY(store.create_container_dir(options.id));
  trace.mark("load and validate config");
  spec::Spec spec = BURROW_TRY(load_bundle_config(store, tx, options, global));
  // Before the namespace plan: delegation adds a cgroup namespace.
  bool delegated =
      BURROW_TRY(plan_cgroup_delegation(spec, global.is_rootless || global.in_user_namespace));
  BURROW_TRY(
      check_console_options(!options.foreground, spec.process->terminal, options.console_socket));
  ConsoleHandoff console = BURROW_TRY(ConsoleHandoff::connect(options.console_socket));
  std::optional<seccomp::Filter> seccomp_filter;
  trace.mark("compile seccomp filter");
  if (spec.linux && spec.linux->seccomp)
    seccomp_filter = BURROW_TRY_CTX(seccomp::compile(*spec.linux->seccomp), "config.json");
  std::string rootfs = BURROW_TRY(absolute_rootfs(spec, options.bundle));
  linux::CapabilitySet caps;
  if (spec.process->capabilities)
    caps = BURROW_TRY(linux::parse_capabilities(*spec.process->capabilities));
  trace.mark("plan namespaces and network");
  NamespacePlan plan = BURROW_TRY(plan_namespaces(spec));
  if (!plan.new_user && !plan.joined_user) {
    uint64_t held = BURROW_TRY(linux::current_bounding_set());
    BURROW_TRY_CTX(linux::check_within_bounding_set(caps, held), "config.json");
  }
  NetworkPlan network = BURROW_TRY(plan_network(spec, plan, rootfs, tx.lock->dir()));
  state::ContainerState saved = BURROW_TRY(initial_state(spec, options, rootfs));
  std::optional<cgroups::Owner> delegate_to;
  if (delegated) delegate_to = BURROW_TRY(delegation_owner(spec, plan));
  trace.mark("cgroups: make, limit");
  saved.rootless = global.is_rootless;
  if (tx.id_range) saved.id_range = tx.id_range->host_uid;
  // On record before anything is made: a create killed from here on leaves a state.json (pid 0:
  // "creating") through which `delete -f` and `gc` find its cgroups, lease and helpers.
  bool recorded_early = false;
  auto record_early = [&](const std::map<std::string, std::string>& paths,
                          const std::vector<std::string>& preexisting) -> Status {
    saved.cgroup_paths = paths;
    saved.cgroup_preexisting = preexisting;
    recorded_early = true;
    return store.save(*tx.lock, saved);
  };
  tx.cgroups = BURROW_TRY(place_cgroups(spec, options.id, global.is_rootless,
                                        global.in_user_namespace, delegate_to, record_early));
  saved.cgroup_paths = tx.cgroups->paths();
  saved.cgroup_preexisting = tx.cgroups->preexisting();
  if (!recorded_early) BURROW_TRY(store.save(*tx.lock, saved));  // no cgroup of its own
  BURROW_TRY(store.create_exec_fifo(*tx.lock));

  trace.mark("prepare detached mounts");
  // Before joining a pid namespace: the preparation forks helpers that must stay on the host.
  std::vector<linux::IdmappedMount> idmapped = BURROW_TRY(linux::prepare_idmapped_mounts(spec));
  // A leased range: the rootfs keeps its owners inside (idmapped, or an engine's overlay
  // rebuilt on idmapped layers).
  RootfsView view;
  if (tx.id_range) view = BURROW_TRY(view_rootfs(spec, rootfs, *tx.id_range));
  bool owns_network = BURROW_TRY(owns_network_namespace(plan, global.in_user_namespace));
  std::vector<linux::IdmappedMount> host_sysfs;
  if (!global.in_user_namespace && ::geteuid() == 0) {
    linux::RootfsConfig mounts = linux::rootfs_config_from_spec(spec, rootfs);
    mounts.owns_network_namespace = owns_network;
    host_sysfs = BURROW_TRY(linux::prepare_host_sysfs(spec, mounts));
  }
  std::vector<linux::DetachedBind> bind_sources =
      BURROW_TRY(open_bind_sources(spec, plan, network));

  process::StepTracker steps = BURROW_TRY(process::StepTracker::make(&trace));
  auto [parent_end, child_end] = BURROW_TRY(process::SyncChannel::make_pair());
  process::InitConfig config;
  config.spec = &spec;
  config.rootfs = rootfs;
  config.id = options.id;
  config.bundle = options.bundle;
  config.no_pivot = options.no_pivot;
  config.no_new_keyring = options.no_new_keyring;
  // systemd's sockets (socket activation of burrow) come first, then --preserve-fds.
  if (unsigned listen_fds = linux::socket_activation_fds()) {
    config.preserve_fds = listen_fds;
    spec.process->env.push_back("LISTEN_FDS=" + std::to_string(listen_fds));
    spec.process->env.push_back("LISTEN_PID=1");
  }
  config.preserve_fds += options.preserve_fds;
  Fd exec_fifo = BURROW_TRY(sys::open_path(store.exec_fifo_path(options.id), O_PATH));
  config.exec_fifo_fd = exec_fifo.get();
  config.joined = std::move(plan.joined);
  config.unshare_flags = plan.unshare_flags;
  config.in_user_namespace = plan.new_user || plan.joined_user;
  config.runtime_in_user_namespace = global.in_user_namespace;
  config.new_cgroup_namespace = plan.new_cgroup;
  config.new_time_namespace = plan.new_time;
  config.new_network_namespace = plan.new_network;
  config.owns_network_namespace = owns_network;
  config.cgroup_dirs = saved.cgroup_paths;
  config.delegated_cgroup = delegated;
  // Rootless, hierarchies without a cgroup of the container's (none delegated) show the caller's.
  if (global.is_rootless || global.in_user_namespace) {
    config.cgroup_dirs = BURROW_TRY(caller_cgroup_dirs());
    for (const auto& [mount, dir] : saved.cgroup_paths) config.cgroup_dirs[mount] = dir;
  }
  for (const auto& mount : idmapped) config.detached_mount_fds[mount.index] = mount.fd.get();
  for (const auto& bind : bind_sources) config.detached_mount_fds[bind.index] = bind.fd.get();
  if (network.resolv_conf)
    config.detached_mount_fds[network.resolv_conf_index] = network.resolv_conf.get();
  config.capabilities = caps;
  config.seccomp_filter = seccomp_filter ? &*seccomp_filter : nullptr;
  config.steps = &steps;
  // An unprivileged caller's map writers (newuidmap, or our own write) need the init dumpable
  // meanwhile. Root (even with --rootless true) writes any map of a non-dumpable init.
  const bool unprivileged_maps = global.is_rootless && ::geteuid() != 0;
  config.dumpable_for_id_maps = unprivileged_maps;
  if (plan.joined_pid && ::setns(plan.joined_pid.get(), CLONE_NEWPID) < 0)
    return Error::from_errno("join pid namespace");

  std::optional<linux::MountDetour> detour =
      BURROW_TRY(stage_on_detour(spec, plan, tx.lock->dir(), host_sysfs, view, config));

  trace.mark("clone3 init");
  process::SpawnRequest request{plan.clone_flags, tx.cgroups->unified_fd()};
  tx.child =
      BURROW_TRY(process::spawn_child(request, [&, &child = child_end, &parent = parent_end] {
        parent.close();
        process::run_init(config, child);
      }));
  if (detour) BURROW_TRY(detour->leave());
  child_end.close();
  config.joined.clear();
  // The init holds its own copies now.
  config.detached_mount_fds.clear();
  idmapped.clear();
  host_sysfs.clear();
  view = RootfsView();
  bind_sources.clear();
  ParentSide side{spec, plan, tx, parent_end, steps, -1, {}, {}, std::move(console), &options};
  side.rootless = unprivileged_maps;
  side.trace = &trace;
  side.hook_state = {spec.oci_version, options.id, "creating", 0, options.bundle, spec.annotations};
  trace.mark("parent: drive init");
  BURROW_TRY(drive_init(side));
  int init_pidfd = tx.init_pidfd ? tx.init_pidfd.get() : tx.child->pidfd.get();
  trace.mark("start network");
  tx.network = BURROW_TRY(
      start_container_network(network.config, side.namespaces, init_pidfd, tx.lock->dir()));
  network.resolv_conf.reset();

  // exec's processes join a new session keyring too, unless the container was made without.
  if (options.no_new_keyring) saved.extra["no_new_keyring"] = true;
  saved.init_pid = side.init_pid;
  saved.init_start_time = BURROW_TRY(state::process_start_time(side.init_pid));
  trace.mark("save state");
  BURROW_TRY(store.save(*tx.lock, saved));
  BURROW_TRY(parent_end.send(process::Message::make(process::MessageType::recorded)));
  if (!options.pid_file.empty())
    BURROW_TRY(file::write_atomic(options.pid_file, std::to_string(side.init_pid), 0644));

  CreatedContainer created;
  created.init_pid = side.init_pid;
  created.namespaces = std::move(side.namespaces);
  created.console_master = side.console.release_master();
  created.init_pidfd = tx.init_pidfd ? std::move(tx.init_pidfd) : std::move(tx.child->pidfd);
  tx.committed = true;
  return created;
}

}  // namespace burrow::container
