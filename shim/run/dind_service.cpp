#include "run/dind_service.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "base/file.hpp"
#include "pod/bundle.hpp"
#include "pod/dind.hpp"

namespace burrow::shim::run {
namespace {

// A dir for the pod's root: made fresh under the job dir and given to the pod's root, so the
// inner daemon (pod root) owns what it writes there, and nothing of it is outside the job dir.
Status make_owned_dir(const std::string& path, mode_t mode, const pod::IdRange& ids) {
  BURROW_TRY(file::mkdir_all(path, mode));
  if (::chmod(path.c_str(), mode) < 0) return Error::from_errno("chmod " + path);
  if (ids.size != 0 && ::chown(path.c_str(), ids.host_uid, ids.host_gid) < 0)
    return Error::from_errno("chown " + path);
  return {};
}

}  // namespace

std::vector<std::string> DindService::cert_files() const {
  std::vector<std::string> files;
  if (certs_dir.empty()) return files;
  for (const auto& name : pod::kClientCertFiles) files.push_back(certs_dir + "/" + name);
  return files;
}

Result<DindService> prepare_dind_service(const pod::JobDir& dir, const pod::IdRange& ids,
                                         const std::string& name, pod::ContainerPlan& plan,
                                         std::optional<int64_t> memory_limit) {
  DindService service;
  plan.profile = pod::kDindProfile;
  // Everything inner containers run counts against the job's limit too.
  plan.memory_limit = memory_limit;
  service.docker_dir = dir.path() + "/" + name + ".docker";
  BURROW_TRY(make_owned_dir(service.docker_dir, 0710, ids));
  plan.extra_mounts.push_back(pod::docker_data_mount(service.docker_dir));
  if (auto path = pod::client_certs_path(plan.env)) {
    service.certs_path = *path;
    service.certs_dir = dir.path() + "/" + name + ".certs";
    BURROW_TRY(make_owned_dir(service.certs_dir, 0755, ids));
    plan.extra_mounts.push_back(pod::bind_mount(service.certs_dir, service.certs_path, false));
  }
  return service;
}

bool has_dind_service(const std::vector<job::ServiceSpec>& services,
                      const std::vector<std::vector<std::string>>& commands) {
  for (size_t i = 0; i < services.size() && i < commands.size(); ++i) {
    if (pod::service_profile(services[i], commands[i]) == pod::kDindProfile) return true;
  }
  return false;
}

Status load_dind_profile_base(const pod::JobDir& dir, runtime::RuntimeClient& runtime,
                              pod::Pod& pod) {
  // The dind profile's capabilities, seccomp filter and (no) masks, for dind services.
  std::string spec_dir = dir.path() + "/spec-dind";
  BURROW_TRY(file::mkdir_all(spec_dir, 0700));
  pod.set_profile_base(pod::kDindProfile, BURROW_TRY(runtime.spec(spec_dir, pod::kDindProfile)));
  return {};
}

std::vector<nlohmann::json> job_certs_mounts(const std::vector<DindService>& services) {
  std::vector<nlohmann::json> mounts;
  std::vector<std::string> paths;
  for (const auto& service : services) {
    if (service.certs_dir.empty() ||
        std::find(paths.begin(), paths.end(), service.certs_path) != paths.end())
      continue;
    paths.push_back(service.certs_path);
    mounts.push_back(pod::bind_mount(service.certs_dir, service.certs_path, true));
  }
  return mounts;
}

}  // namespace burrow::shim::run
