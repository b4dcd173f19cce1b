// Parts of making a job's pod that `burrow-shim run` (job_runner) and the custom executor's pod
// holder (gitlab/pod_holder) share: a container's environment, a service log's last lines for
// the "didn't start properly" warning, and the copy-on-write roots of the pod's containers.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/fd.hpp"
#include "image/rootfs.hpp"
#include "job/model.hpp"
#include "pod/id_range.hpp"
#include "run/images.hpp"

namespace burrow::shim::run {

// The image's environment with `variables` and then `more` set over it (a later value of a key
// replaces an earlier one in place).
std::vector<std::string> container_environment(const std::vector<std::string>& image_env,
                                               const job::Variables& variables,
                                               const job::Variables& more = {});

// What a service runs: its entrypoint (the image's unless overridden) and command.
std::vector<std::string> service_command(const job::ServiceSpec& service,
                                         const PreparedImage& image);

// The last `count` lines of a file ("" when it cannot be read).
std::string tail_lines(const std::string& path, size_t count);

// The copy-on-write roots of one pod's containers. As root (a non-empty id range) the layers,
// unpacked once with the image's own ids, are seen through idmapped mounts for the pod's user
// namespace; where the kernel refuses, `warn` is told once and the layers are unpacked again
// shifted to the pod's range, for the rest of the pod.
class PodRootfs {
 public:
  PodRootfs(const PreparedImages& images, pod::IdRange ids, pid_t infra_pid)
      : images_(&images), ids_(ids), infra_pid_(infra_pid) {}

  Result<image::Rootfs> mount(const std::string& image_name, const std::string& container_dir,
                              const std::function<void(const std::string&)>& warn);

 private:
  const PreparedImages* images_;
  pod::IdRange ids_;
  pid_t infra_pid_;
  Fd userns_;  // the pod's user namespace
  bool idmapped_ = true;
};

}  // namespace burrow::shim::run
