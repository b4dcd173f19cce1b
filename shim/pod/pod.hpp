// A job's pod: the infra container (burrow-pod-init as pid 1 of the pod's user, pid, network,
// ipc and uts namespaces) and the containers that join it. The Pod owns every container it
// made and removes them all in teardown(), also when setup failed halfway; the infra's stdin is
// a pipe whose write end only this process holds, so if the shim dies the infra's init sees end
// of file and exits, and the kernel kills every process of the pod's pid namespace with it.
//
// Each long-lived container runs under a foreground `burrow run` (its monitor, as conmon is
// podman's): the monitor is the init's parent, so an init that dies is reaped at once (an
// orphaned init waits for the host's init to reap it, seconds on some hosts, and its delete with
// it), and a container whose shim died is still deleted by its monitor.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "pod/bundle.hpp"
#include "pod/id_range.hpp"
#include "pod/job_dir.hpp"
#include "runtime_client/runtime_client.hpp"

namespace burrow::shim::pod {

struct PodOptions {
  std::string pod_init_binary;  // burrow-pod-init (static)
  IdRange ids;
  std::string hostname;
  std::string network = "pasta";               // run.burrow.network: pasta, slirp4netns or none
  std::string cgroup_parent = "/burrow-shim";  // "" for none (rootless: no cgroup of its own)
  bool writable_sysfs = false;  // the infra's sysfs read-write: the pod has a dind service
  // The limit of the pod's own cgroup (pod/pod_cgroup), which every member's is below: the job
  // container, a dind service and its inner containers together stay within it.
  std::optional<int64_t> memory_limit;
};

class Pod {
 public:
  // Starts the infra container under `dir`; `base_config` is `burrow spec --profile default`'s.
  static Result<Pod> start(const JobDir& dir, runtime::RuntimeClient& runtime,
                           nlohmann::json base_config, PodOptions options);
  Pod(Pod&&) = default;
  Pod& operator=(Pod&&) = default;
  ~Pod();

  pid_t infra_pid() const { return infra_pid_; }
  const IdRange& ids() const { return options_.ids; }
  const PodOptions& options() const { return options_; }

  // A plan that joins the pod: namespaces, cgroup path and the pod's /etc/hosts (and resolv.conf
  // when the pod has a network) filled in.
  ContainerPlan member_plan(const std::string& name) const;
  // The base config of members of `plan.profile` "dind" (`burrow spec --profile dind`'s); the
  // default profile's is the one given to start().
  void set_profile_base(const std::string& profile, nlohmann::json base);
  // Writes <dir>/<name>/config.json for `plan` (from its profile's base); returns the bundle dir.
  Result<std::string> write_bundle(const std::string& name, const ContainerPlan& plan) const;
  // The runtime's id of a container of this pod.
  std::string container_id(const std::string& name) const;
  // Remembers a container made through the runtime outside this class (e.g. by `run`), so
  // teardown removes it too.
  void adopt(const std::string& id);
  // Forgets a container removed already (teardown need not delete it again).
  void forget(const std::string& id);
  // A member started under its monitor with `stdio`, once its init exists; the container is the
  // Pod's.
  Status start_member(const std::string& name, const ContainerPlan& plan,
                      const runtime::Stdio& stdio);
  // Rewrites the pod's /etc/hosts with these names (before the members start).
  Status write_hosts(const std::vector<std::string>& names) const;

  // Removes every container (members first, the infra last) and forgets them; the first error.
  Status teardown();

 private:
  Pod(const JobDir& dir, runtime::RuntimeClient& runtime, nlohmann::json base, PodOptions options)
      : dir_(&dir), runtime_(&runtime), base_(std::move(base)), options_(std::move(options)) {}
  Status start_infra();
  // `burrow run --pid-file` of `name`'s bundle; returns once the init's pid is written.
  Result<pid_t> start_monitored(const std::string& name, const std::string& bundle,
                                const runtime::Stdio& stdio);
  struct Container {
    std::string id;
    std::optional<runtime::Child> monitor;  // its `burrow run`, when it has one
  };

  const JobDir* dir_;
  runtime::RuntimeClient* runtime_;
  nlohmann::json base_;
  std::map<std::string, nlohmann::json> profile_bases_;  // by profile, other than the default
  PodOptions options_;
  Fd keeper_;  // write end of the infra's stdin: closing it ends the pod
  pid_t infra_pid_ = 0;
  std::string cgroup_;  // the pod's own cgroup (absolute), "" without a cgroup parent
  std::vector<Container> containers_;  // in creation order (infra first)
};

}  // namespace burrow::shim::pod
