#include "container/network_setup.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <spdlog/spdlog.h>

#include "base/file.hpp"
#include "base/syscalls.hpp"

namespace burrow::container {
namespace {

constexpr const char* kResolvConf = "/etc/resolv.conf";

bool mounts_resolv_conf(const spec::Spec& spec) {
  for (const auto& mount : spec.mounts) {
    std::string destination = mount.destination;
    while (destination.size() > 1 && destination.back() == '/') destination.pop_back();
    if (destination == kResolvConf || destination == "/etc") return true;
  }
  return false;
}

// Is there a file at /etc/resolv.conf inside the rootfs to mount over? (Resolved in the rootfs: a
// symlink pointing elsewhere is followed there, as the mount will be.)
Result<bool> rootfs_has_resolv_conf(const std::string& rootfs) {
  Fd root = BURROW_TRY(sys::open_path(rootfs, O_PATH | O_DIRECTORY));
  auto file = sys::open_in_root(root.get(), kResolvConf, O_PATH);
  if (!file) return false;
  struct stat st {};
  if (::fstat(file->get(), &st) < 0) return Error::from_errno("stat /etc/resolv.conf");
  return S_ISREG(st.st_mode);
}

Result<Fd> add_resolv_conf(spec::Spec& spec, const std::string& rootfs,
                           const std::string& state_dir) {
  if (mounts_resolv_conf(spec)) return Fd();
  if (!BURROW_TRY(rootfs_has_resolv_conf(rootfs))) {
    spdlog::warn(
        "{}: the rootfs has no /etc/resolv.conf to mount over; the container's DNS "
        "forwarder is {}",
        network::kModeAnnotation, network::kDnsAddress);
    return Fd();
  }
  std::string source = state_dir + "/resolv.conf";
  BURROW_TRY(file::write_atomic(source, network::resolv_conf_text(), 0644));
  Fd tree(::open_tree(AT_FDCWD, source.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
  // Cloning a mount needs CAP_SYS_ADMIN over our mount namespace, which a rootless caller (or
  // root of a non-initial user namespace, whose mount namespace is still the host's) lacks.
  // Its init's root is the caller itself, who owns the state dir: the init binds it by path.
  if (!tree && errno != EPERM) return Error::from_errno("open_tree " + source);
  if (!tree) spdlog::debug("open_tree {}: not permitted; the init binds it by path", source);
  spec::Mount mount;
  mount.destination = kResolvConf;
  mount.type = "bind";
  mount.source = source;
  mount.options = {"bind", "ro", "nosuid", "nodev", "noexec"};
  spec.mounts.push_back(std::move(mount));
  return tree;
}

}  // namespace

Result<NetworkPlan> plan_network(spec::Spec& spec, const NamespacePlan& plan,
                                 const std::string& rootfs, const std::string& state_dir) {
  NetworkPlan planned;
  planned.config = BURROW_TRY(network::parse_annotations(spec.annotations));
  const network::NetworkConfig& config = planned.config;
  if (config.mode == network::Mode::none) return planned;
  if (!plan.new_network)
    return Error::msg(std::string("annotation ") + network::kModeAnnotation + "=" +
                          network::mode_name(config.mode) +
                          ": needs a new network namespace (linux.namespaces has no \"network\" "
                          "entry, or it joins one by path)",
                      EINVAL);
  BURROW_TRY(network::find_helper(config.mode));  // a clear error before anything runs
  planned.resolv_conf = BURROW_TRY(add_resolv_conf(spec, rootfs, state_dir));
  planned.resolv_conf_index = spec.mounts.size() - 1;
  return planned;
}

Result<std::optional<network::RunningNetwork>> start_container_network(
    const network::NetworkConfig& config, const std::map<std::string, Fd>& namespaces,
    int init_pidfd, const std::string& state_dir) {
  if (config.mode == network::Mode::none) return std::optional<network::RunningNetwork>();
  network::StartRequest request;
  request.config = config;
  request.state_dir = state_dir;
  request.init_pidfd = init_pidfd;
  auto net = namespaces.find("net");
  if (net == namespaces.end())
    return Error::msg("the container init sent no network namespace", EPROTO);
  request.netns_fd = net->second.get();
  if (auto user = namespaces.find("user"); user != namespaces.end())
    request.userns_fd = user->second.get();
  network::RunningNetwork running =
      BURROW_TRY_CTX(network::start_network(request),
                     network::kModeAnnotation + std::string("=") + network::mode_name(config.mode));
  if (auto saved = network::save_record(state_dir, running); !saved) {
    (void)network::stop_network(running);
    return std::move(saved).error();
  }
  return std::optional<network::RunningNetwork>(running);
}

}  // namespace burrow::container
