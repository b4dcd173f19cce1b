// `image:` and `services:` entries, read as written; the job's variables are applied later
// (job/gitlab_ci), as GitLab Runner applies them when it starts the job.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "job/config_reader.hpp"
#include "job/model.hpp"
#include "job/variables.hpp"

namespace burrow::shim::job {

struct ServiceConfig {
  ImageSpec image;
  std::string alias;  // as written: one or more names, split after expansion
  std::optional<std::vector<std::string>> command;
  PendingVariables variables;
  std::string profile;
};

// Keys of image/service maps that burrow-shim does not act on, as "image:pull_policy",
// "services:ports"... (each once, in the order met).
using IgnoredKeys = std::vector<std::string>;

Result<ImageSpec> read_image(const ConfigReader& reader, const Node& node, const std::string& path,
                             IgnoredKeys& ignored);
Result<std::vector<ServiceConfig>> read_services(const ConfigReader& reader, const Node& node,
                                                 const std::string& path, IgnoredKeys& ignored);

// Adds `name` unless already there.
void add_once(std::vector<std::string>& names, const std::string& name);

}  // namespace burrow::shim::job
