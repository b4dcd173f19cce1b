// The whole file, loaded and checked the way GitLab checks it before creating a pipeline:
// YAML (anchors, merge keys), `extends`, `!reference`, then the top-level keywords. Jobs are
// checked one by one by job/job_config.
#pragma once

#include <string>
#include <vector>

#include "base/error.hpp"
#include "job/config_reader.hpp"
#include "job/variables.hpp"
#include "job/yaml_tree.hpp"

namespace burrow::shim::job {

struct Pipeline {
  Node root;                        // after extends and !reference
  std::vector<std::string> jobs;    // visible job names, in file order
  std::vector<std::string> stages;  // with .pre and .post
  // `default:` with the deprecated top-level before_script, after_script, image, services and
  // cache folded in; every value already checked.
  Node defaults = Node::mapping();
  PendingVariables variables;                 // top-level `variables:`
  std::vector<std::string> ignored_keywords;  // top-level keywords burrow-shim does not act on
};

Result<Pipeline> load_pipeline(const std::string& yaml_text, const ConfigReader& reader);

// A visible job's kind, from the keys GitLab looks at: script:, run:, trigger:.
enum class JobKind { script, run, trigger };
JobKind job_kind(const Node& job);

}  // namespace burrow::shim::job
