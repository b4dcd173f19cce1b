// A service of profile `dind` (Docker-in-Docker): what its container gets beyond an ordinary
// service of the pod, on top of `burrow spec --profile dind` (its capabilities, seccomp filter,
// no masked or read-only paths):
//   - the pod's user namespace, joined as every member joins it (never `run.burrow.userns=auto`:
//     the pod already has a range of 65536 ids of its own per job, pod/id_range);
//   - its own cgroup namespace with the container's cgroup delegated to the pod's root
//     (`run.burrow.cgroup.delegate=true`; the limits stay host root's), when it has a cgroup;
//   - /dev/net/tun and /dev/fuse;
//   - every capability and sysfs read-write: what an inner `docker run --privileged` asks for,
//     all of it within the pod's user namespace and its network namespace;
//   - /var/lib/docker bound from a directory of the job's scratch dir (a real file system, so
//     the inner daemon's overlay2 works and its images go with the job dir);
//   - with DOCKER_TLS_CERTDIR, `$DOCKER_TLS_CERTDIR/client` bound from a directory of the job
//     dir that the job container gets at the same path (GitLab's `/certs/client` volume).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "job/model.hpp"

namespace burrow::shim::pod {

inline constexpr const char* kDindProfile = "dind";
// The client set the entrypoint writes, key.pem last: all three there means the set is whole.
inline const std::vector<std::string> kClientCertFiles = {"ca.pem", "cert.pem", "key.pem"};

// The profile a service runs under: its own `profile:`, else "dind" when the command it runs
// (entrypoint, or cmd when there is none) starts with dockerd or dockerd-entrypoint(.sh), else "".
std::string service_profile(const job::ServiceSpec& service,
                            const std::vector<std::string>& command);

// Where a dind service's client certificates go inside its container and the job's:
// `$DOCKER_TLS_CERTDIR/client` from the service's environment; nullopt when the variable is
// unset or empty (plain tcp on 2375) or not an absolute path.
std::optional<std::string> client_certs_path(const std::vector<std::string>& env);

// Makes `config` (a member's config made from the dind profile's base) that of a dind service:
// the userns annotation of the profile dropped (the pod's user namespace is joined), cgroup
// delegation when `delegate_cgroup`, /dev/net/tun and /dev/fuse, every capability (in the
// pod's user namespace) and a read-write sysfs, so an inner `docker run --privileged` starts.
void make_dind_config(nlohmann::json& config, bool delegate_cgroup);

// The bind of the inner daemon's data dir (a host dir of the job's scratch space).
nlohmann::json docker_data_mount(const std::string& host_dir);

}  // namespace burrow::shim::pod
