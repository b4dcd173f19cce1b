// The host side of a dind service (pod/dind.hpp) in a job: its dirs in the job's scratch dir,
// owned by the pod's root, and the mounts of them in the service and in the job container.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "job/model.hpp"
#include "pod/bundle.hpp"
#include "pod/id_range.hpp"
#include "pod/job_dir.hpp"
#include "pod/pod.hpp"
#include "runtime_client/runtime_client.hpp"

namespace burrow::shim::run {

struct DindService {
  std::string docker_dir;  // host: bound at /var/lib/docker in the service
  std::string certs_dir;   // host: the client certificates; "" without DOCKER_TLS_CERTDIR
  std::string certs_path;  // in the service and the job: $DOCKER_TLS_CERTDIR/client
  // Host paths of the client set: the service is ready once all exist (and its port answers).
  std::vector<std::string> cert_files() const;
};

// Makes `plan` (a member plan with its env set) that of the dind service `name`: profile
// "dind", its /var/lib/docker and certificate dirs made under the job dir for the pod's root
// (`ids`; size 0 when rootless: the shim's own root) and bound, `memory_limit` as the job's.
Result<DindService> prepare_dind_service(const pod::JobDir& dir, const pod::IdRange& ids,
                                         const std::string& name, pod::ContainerPlan& plan,
                                         std::optional<int64_t> memory_limit);

// Whether any of `services` runs under the dind profile; `commands[i]` is what service i runs.
// Such a pod's infra mounts sysfs read-write (pod::PodOptions::writable_sysfs) and the pod gets
// the dind profile's base (below). Shared by `burrow-shim run` and the custom executor's pod
// holder.
bool has_dind_service(const std::vector<job::ServiceSpec>& services,
                      const std::vector<std::vector<std::string>>& commands);

// Gives `pod` the base config of the dind profile (`burrow spec --profile dind`, made in the job
// dir).
Status load_dind_profile_base(const pod::JobDir& dir, runtime::RuntimeClient& runtime,
                              pod::Pod& pod);

// The job container's mounts of the dind services' client certificates, read-only, as GitLab's
// `/certs/client` volume (the first service of a path wins).
std::vector<nlohmann::json> job_certs_mounts(const std::vector<DindService>& services);

}  // namespace burrow::shim::run
