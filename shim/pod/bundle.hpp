// The config.json of each container of a pod, made from the runtime's own starting point
// (`burrow spec --profile default`: its capabilities, seccomp profile, masks and mounts, so the
// shim never weakens what the runtime chose) plus what the pod needs.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pod/id_range.hpp"

namespace burrow::shim::pod {

struct ContainerPlan {
  std::string rootfs;  // absolute; the container's copy-on-write root (or the infra's dir)
  bool readonly_rootfs = false;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::string cwd = "/";
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::vector<uint32_t> additional_gids;
  // The infra container makes the pod's namespaces (user, pid, network, ipc, uts) and maps
  // `ids`; every other container joins those of `infra_pid` and has its own mount and cgroup
  // namespaces.
  bool infra = false;
  pid_t infra_pid = 0;
  IdRange ids;
  std::string hostname;                      // infra only: the pod's (shared uts namespace)
  std::string cgroups_path;                  // absolute
  std::vector<nlohmann::json> extra_mounts;  // OCI mount objects, after the base ones
  std::optional<int64_t> memory_limit;       // bytes (memory+swap the same: no swap)
  std::map<std::string, std::string> annotations;
  // "" for the runtime's default profile, or "dind" (pod/dind.hpp): the config starts from that
  // profile's `burrow spec` and gets what a Docker-in-Docker service needs.
  std::string profile;
  // sysfs mounted read-write (a dind service; the infra of a pod with one). The kernel refuses a
  // nested read-write sysfs (an inner `docker run --privileged`'s) while a sysfs of a read-only
  // superblock is mounted, and the first sysfs mount of the pod's network namespace, the infra's,
  // makes its superblock. Each file's owner still decides: only the pod's own interfaces'
  // attributes belong to the pod's root.
  bool writable_sysfs = false;
};

// An OCI bind mount of a host path.
nlohmann::json bind_mount(const std::string& source, const std::string& destination,
                          bool read_only);

// `base` (a config from `burrow spec`) made into the config of `plan`.
nlohmann::json container_config(const nlohmann::json& base, const ContainerPlan& plan);

}  // namespace burrow::shim::pod
