// How `burrow-shim run` runs a job: everything the command line decides.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace burrow::shim::run {

// `--volume HOST:CONTAINER[:ro]`.
struct Volume {
  std::string host;
  std::string container;
  bool read_only = false;
};

struct RunOptions {
  std::string runtime_binary;                                // burrow
  std::string pod_init_binary;                               // burrow-pod-init
  std::string service_init_binary = "/usr/bin/tini-static";  // pid-1 duties in each service
  std::string images_dir;
  std::string scratch_root;  // job dirs live under it
  std::string workspace;     // a host checkout bound at CI_PROJECT_DIR; "" makes an empty one
  std::vector<Volume> volumes;
  std::string log_file;           // JSON lines of the job's output; "" for none
  std::string summary_file;       // "" for none
  std::string network = "pasta";  // pasta, slirp4netns or none
  std::chrono::seconds service_wait{30};
  bool service_wait_fatal = false;
  std::chrono::seconds after_script_timeout{300};
  std::chrono::seconds grace{10};
  std::optional<std::chrono::seconds> timeout;  // overrides the job's `timeout:`
  std::string default_image;                    // for a job without `image:`
  std::optional<int64_t> memory_limit;          // bytes, for the job's containers (docker's -m)
  // The caller is unprivileged: the shim runs inside a user namespace of its own (user_namespace
  // .hpp), the pod makes none, and container root is the caller.
  bool rootless = false;
};

// "67108864", "64k", "64m", "1g" (binary units, as docker's -m) -> bytes; an error names the
// value.
Result<int64_t> parse_size(const std::string& text);

// "HOST:CONTAINER[:ro|:rw]", both absolute; an error names the value and the reason.
Result<Volume> parse_volume(const std::string& text);

}  // namespace burrow::shim::run
