#include "pod/pod.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <signal.h>

#include <chrono>
#include <filesystem>

#include "base/file.hpp"
#include "pod/hosts.hpp"
#include "pod/pod_cgroup.hpp"

namespace burrow::shim::pod {
namespace {

// How long a container's init may take to exist, and its monitor to end after its delete.
constexpr std::chrono::seconds kStartPatience{30};
constexpr std::chrono::seconds kStopPatience{10};

// The infra's root: burrow-pod-init and the mount points the base config's mounts need.
Status make_infra_rootfs(const std::string& rootfs, const std::string& pod_init) {
  namespace fs = std::filesystem;
  for (const char* dir : {"", "/proc", "/dev", "/sys", "/etc"}) {
    BURROW_TRY(file::mkdir_all(rootfs + dir, 0755));
  }
  std::error_code ec;
  fs::copy_file(pod_init, rootfs + "/pod-init", fs::copy_options::overwrite_existing, ec);
  if (ec) return Error::msg("copy " + pod_init + ": " + ec.message(), ec.value());
  if (::chmod((rootfs + "/pod-init").c_str(), 0755) < 0)
    return Error::from_errno("chmod " + rootfs + "/pod-init");
  // A network helper binds its resolv.conf over the rootfs's own, which must exist.
  BURROW_TRY(file::write_atomic(rootfs + "/etc/resolv.conf", "", 0644));
  BURROW_TRY(file::write_atomic(rootfs + "/etc/hosts", "", 0644));
  return {};
}

}  // namespace

Result<Pod> Pod::start(const JobDir& dir, runtime::RuntimeClient& runtime,
                       nlohmann::json base_config, PodOptions options) {
  Pod pod(dir, runtime, std::move(base_config), std::move(options));
  BURROW_TRY(pod.write_hosts({}));
  if (!pod.options_.cgroup_parent.empty()) {
    // Recorded first, so `burrow-shim cleanup` finds it whatever happens next.
    std::string cgroup = pod.options_.cgroup_parent + "/burrow-shim-" + dir.key();
    BURROW_TRY(file::write_atomic(dir.path() + "/" + kPodCgroupFile, cgroup + "\n", 0600));
    pod.cgroup_ = cgroup;
    if (auto made = make_pod_cgroup(cgroup, pod.options_.memory_limit); !made) {
      (void)pod.teardown();
      return std::move(made).error().wrap("pod cgroup");
    }
  }
  if (pod.options_.network != "none")
    BURROW_TRY(file::write_atomic(dir.path() + "/resolv.conf", "nameserver 10.0.2.3\n", 0644));
  if (auto started = pod.start_infra(); !started) {
    (void)pod.teardown();
    return std::move(started).error().wrap("pod");
  }
  return pod;
}

Pod::~Pod() {
  (void)teardown();
}

std::string Pod::container_id(const std::string& name) const {
  return "burrow-shim-" + dir_->key() + "-" + name;
}

void Pod::adopt(const std::string& id) {
  containers_.push_back(Container{id, std::nullopt});
}

void Pod::forget(const std::string& id) {
  std::erase_if(containers_, [&](const Container& c) { return c.id == id && !c.monitor; });
}

Status Pod::write_hosts(const std::vector<std::string>& names) const {
  return file::write_atomic(dir_->hosts_file(), hosts_file_text(names), 0644);
}

void Pod::set_profile_base(const std::string& profile, nlohmann::json base) {
  profile_bases_[profile] = std::move(base);
}

Result<std::string> Pod::write_bundle(const std::string& name, const ContainerPlan& plan) const {
  const nlohmann::json* base = &base_;
  if (!plan.profile.empty()) {
    auto found = profile_bases_.find(plan.profile);
    if (found == profile_bases_.end())
      return Error::msg("container " + name + ": no base config for profile " + plan.profile);
    base = &found->second;
  }
  std::string bundle = dir_->container_dir(name);
  BURROW_TRY(file::mkdir_all(bundle, 0711));
  BURROW_TRY(file::write_atomic(bundle + "/config.json",
                                container_config(*base, plan).dump(1, '\t') + "\n", 0600));
  return bundle;
}

Status Pod::start_infra() {
  const std::string name = "infra";
  std::string rootfs = dir_->container_dir(name) + "/rootfs";
  BURROW_TRY(make_infra_rootfs(rootfs, options_.pod_init_binary));
  ContainerPlan plan;
  plan.infra = true;
  plan.rootfs = rootfs;
  plan.readonly_rootfs = true;
  plan.args = {"/pod-init"};
  plan.ids = options_.ids;
  plan.hostname = options_.hostname;
  plan.writable_sysfs = options_.writable_sysfs;
  if (!cgroup_.empty()) plan.cgroups_path = cgroup_ + "/" + name;
  if (options_.network != "none") plan.annotations["run.burrow.network"] = options_.network;
  std::string bundle = BURROW_TRY(write_bundle(name, plan));
  int keeper[2];
  if (::pipe2(keeper, O_CLOEXEC) < 0) return Error::from_errno("pipe for the pod keeper");
  Fd keeper_read(keeper[0]);
  keeper_.reset(keeper[1]);
  runtime::Stdio stdio;
  stdio.in = keeper_read.get();
  infra_pid_ = BURROW_TRY(start_monitored(name, bundle, stdio));
  return {};
}

ContainerPlan Pod::member_plan(const std::string& name) const {
  ContainerPlan plan;
  plan.infra_pid = infra_pid_;
  plan.ids = options_.ids;
  if (!cgroup_.empty()) plan.cgroups_path = cgroup_ + "/" + name;
  plan.extra_mounts.push_back(bind_mount(dir_->hosts_file(), "/etc/hosts", true));
  if (options_.network != "none")
    plan.extra_mounts.push_back(
        bind_mount(dir_->path() + "/resolv.conf", "/etc/resolv.conf", true));
  return plan;
}

Status Pod::start_member(const std::string& name, const ContainerPlan& plan,
                         const runtime::Stdio& stdio) {
  std::string bundle = BURROW_TRY(write_bundle(name, plan));
  BURROW_TRY(start_monitored(name, bundle, stdio));
  return {};
}

Result<pid_t> Pod::start_monitored(const std::string& name, const std::string& bundle,
                                   const runtime::Stdio& stdio) {
  std::string id = container_id(name);
  std::string pid_file = dir_->container_dir(name) + "/pid";
  containers_.push_back(Container{id, std::nullopt});
  containers_.back().monitor.emplace(BURROW_TRY(runtime_->run(id, bundle, stdio, false, pid_file)));
  runtime::Child& monitor = *containers_.back().monitor;
  // burrow writes the pid file (atomically) once the init exists, before it starts it.
  for (auto deadline = std::chrono::steady_clock::now() + kStartPatience;
       std::chrono::steady_clock::now() < deadline;) {
    if (auto text = file::read(pid_file); text && !text->empty()) {
      pid_t pid = static_cast<pid_t>(std::stol(*text));
      if (pid > 0) return pid;
    }
    auto ended = BURROW_TRY(monitor.wait(std::chrono::milliseconds(2)));
    if (ended) {
      std::string why = runtime_->logged_error(id, "run");
      return Error::msg("run " + id + ": " + (why.empty() ? "burrow " + ended->describe() : why));
    }
  }
  return Error::msg("run " + id + ": no init after " +
                    std::to_string(std::chrono::seconds(kStartPatience).count()) + " s");
}

Status Pod::teardown() {
  Status first;
  // Members first: removing the infra first would kill them with the pid namespace, but their
  // state dirs and cgroups would wait for their own delete anyway. Each monitor reaps its init
  // as the delete kills it, then ends.
  for (auto it = containers_.rbegin(); it != containers_.rend(); ++it) {
    if (auto removed = runtime_->remove(it->id); !removed && first.ok()) first = removed;
    if (it->monitor) {
      auto ended = it->monitor->wait(kStopPatience);
      if (!ended || !*ended) (void)it->monitor->signal(SIGKILL);  // the Child reaps it
    }
  }
  containers_.clear();
  keeper_.reset();
  infra_pid_ = 0;
  // Its members' cgroups went with them (when their deletes did not fail).
  if (!cgroup_.empty() && first.ok()) {
    if (auto removed = remove_pod_cgroup(cgroup_); !removed) first = removed;
  }
  return first;
}

}  // namespace burrow::shim::pod
