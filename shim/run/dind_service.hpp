// The host side of a dind service (pod/dind.hpp) in a job: its dirs in the job's scratch dir,
// owned by the pod's root, and the mounts of them in the service and in the job container.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "pod/bundle.hpp"
#include "pod/id_range.hpp"
#include "pod/job_dir.hpp"

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

// The job container's mount of a dind service's client certificates (read-only), if it has any.
std::optional<nlohmann::json> job_certs_mount(const DindService& service);

}  // namespace burrow::shim::run
